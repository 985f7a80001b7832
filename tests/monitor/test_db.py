"""The data layer on SQLite and PostgreSQL: migrations, models, JSON columns, cascades."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import select

from monitor import db
from monitor.errors import MonitorError
from monitor.models import Alert, Buyer, Feed, Incident, SeenItem, Supplier, SupplierMaterial, Watch
from monitor.settings import Settings


def test_migrations_create_every_table(db_settings: Settings) -> None:
    tables = set(inspect(db.get_engine(db_settings)).get_table_names())
    expected = {
        "feeds",
        "seen_items",
        "incidents",
        "suppliers",
        "supplier_materials",
        "buyer_suppliers",
        "buyers",
        "watches",
        "alerts",
        "deliveries",
        "api_keys",
        "alembic_version",
    }
    assert expected <= tables


def test_migrations_match_the_models(db_settings: Settings) -> None:
    """What Alembic would still generate is empty: the models and the migrations agree."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext
    from sqlmodel import SQLModel

    with db.get_engine(db_settings).connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == []


def test_upgrade_is_idempotent(db_settings: Settings) -> None:
    db.upgrade(db_settings)
    db.upgrade(db_settings)


def test_round_trip_of_core_entities(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="Chocolaterie Nord")
        s.add(buyer)
        s.flush()
        assert buyer.id is not None
        s.add(
            Watch(
                buyer_id=buyer.id, materials=["cocoa"], countries=["CI", "GH"], min_severity="high"
            )
        )
        s.add(
            Incident(
                id="inc-1",
                title="Abidjan port strike",
                event_type="strike",
                severity="high",
                countries=["CI"],
                materials=[{"name": "cocoa", "hs": "1801"}],
            )
        )
        s.flush()
        s.add(
            Alert(
                buyer_id=buyer.id,
                incident_id="inc-1",
                severity="high",
                suggestions=[{"material": "cocoa", "suppliers": [{"id": 1, "score": 0.9}]}],
            )
        )
    with db.session_scope(db_settings) as s:
        watch = s.exec(select(Watch)).one()
        assert watch.countries == ["CI", "GH"]
        incident = s.get(Incident, "inc-1")
        assert incident is not None
        assert incident.materials == [{"name": "cocoa", "hs": "1801"}]
        alert = s.exec(select(Alert)).one()
        assert alert.status == "new"
        assert alert.suggestions[0]["suppliers"][0]["score"] == 0.9
        assert alert.incident_version == 1 and alert.kind == "new"


def test_supplier_materials_are_removed_with_their_supplier(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        sup = Supplier(name="Coop Kumasi", country="GH", certifications=["fairtrade"])
        s.add(sup)
        s.flush()
        assert sup.id is not None
        s.add(SupplierMaterial(supplier_id=sup.id, material="cocoa", hs="1801", country="GH"))
    with db.session_scope(db_settings) as s:
        s.delete(s.exec(select(Supplier)).one())
    with db.session_scope(db_settings) as s:
        assert s.exec(select(SupplierMaterial)).all() == []


def test_seen_item_ids_are_unique(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        feed = Feed(url="http://127.0.0.1/feed.xml", kind="rss")
        s.add(feed)
        s.flush()
        s.add(SeenItem(item_id="a" * 64, feed_id=feed.id))
    with (
        pytest.raises(Exception, match=r"(?i)unique|duplicate"),
        db.session_scope(db_settings) as s,
    ):
        s.add(SeenItem(item_id="a" * 64))


def test_bad_database_url_is_one_clear_line() -> None:
    with pytest.raises(MonitorError, match="bad database URL"):
        db.make_engine("nosuchdb://x")


def test_unreachable_database_names_the_fix() -> None:
    engine = db.make_engine("postgresql+psycopg://u:p@127.0.0.1:1/none")
    with pytest.raises(MonitorError, match="MONITOR_DATABASE_URL"):
        db.check_connection(engine)


def test_an_alert_exists_once_per_buyer_incident_and_version(db_settings: Settings) -> None:
    from sqlalchemy.exc import IntegrityError

    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="Tannery Sud")
        s.add(buyer)
        s.flush()
        assert buyer.id is not None
        buyer_id = buyer.id
        s.add(Alert(buyer_id=buyer_id, incident_id="inc-9", severity="high"))
        s.add(
            Alert(buyer_id=buyer_id, incident_id="inc-9", incident_version=2, severity="critical")
        )
    with pytest.raises(IntegrityError), db.session_scope(db_settings) as s:
        s.add(Alert(buyer_id=buyer_id, incident_id="inc-9", severity="high"))


def test_watches_written_before_0003_survive_the_upgrade(tmp_path: Path) -> None:
    from sqlalchemy import text

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(settings, "0002")
    with db.get_engine(settings).begin() as conn:
        conn.execute(
            text("INSERT INTO buyers (id, name, created_at) VALUES (1, 'Old', '2026-01-01')")
        )
        conn.execute(
            text(
                "INSERT INTO watches"
                " (buyer_id, name, materials, countries, min_severity, created_at)"
                " VALUES (1, 'w', '[\"cocoa\"]', '[\"GH\"]', 'high', '2026-01-01')"
            )
        )
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        watch = s.exec(select(Watch)).one()
        buyer = s.exec(select(Buyer)).one()
    assert (watch.materials, watch.sites, watch.lanes) == (["cocoa"], [], [])
    assert buyer.digest_minutes == 0 and buyer.webhook_secret is None


def test_incident_sources_written_before_0004_are_copied_into_their_table(tmp_path: Path) -> None:
    import json

    from sqlalchemy import text

    from monitor.models import Incident, IncidentSource

    settings = Settings(database_url=f"sqlite:///{tmp_path / 'old.db'}")
    db.upgrade(settings, "0003")
    sources = [{"item_id": "a", "url": "https://example.org/a", "title": "A",
                "published": "2026-01-01T00:00:00+00:00", "feed_id": 3},
               {"item_id": "b", "url": None, "title": "B", "published": "not a time"}]  # fmt: skip
    with db.get_engine(settings).begin() as conn:
        conn.execute(
            text(
                "INSERT INTO incidents (id, title, event_type, severity, status, version,"
                " confidence, first_seen, last_seen, cluster_key, countries, materials, places,"
                " sources, evidence, updated_at) VALUES ('i', 't', 'strike', 'high', 'open', 1,"
                " 0.5, '2026-01-01', '2026-01-01', 'k', '[]', '[]', '[]', :s, '[]', '2026-01-01')"
            ),
            {"s": json.dumps(sources)},
        )
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        rows = s.exec(select(IncidentSource).order_by(IncidentSource.item_id)).all()
        incident = s.get(Incident, "i")
        assert [(r.item_id, r.feed_id) for r in rows] == [("a", 3), ("b", None)]
        assert incident is not None and incident.source_count == 2
