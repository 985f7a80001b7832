"""save_alert stores each (buyer, incident, version) once, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select

from monitor import db
from monitor.delivery import store
from monitor.delivery.schedule import first_attempt
from monitor.delivery.sender import claim
from monitor.models import Alert, Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer, add_destination, alert_message


def test_save_alert_stores_once_with_a_delivery_per_channel(db_settings: Settings) -> None:
    buyer = add_buyer(db_settings, email="buyer@example.com", webhook_url="https://example.com/h")
    assert buyer.id is not None
    with db.session_scope(db_settings) as session:
        first = store.save_alert(session, alert_message(buyer.id))
        again = store.save_alert(session, alert_message(buyer.id))
        worse = store.save_alert(session, alert_message(buyer.id, version=2, kind="worse"))
    assert first is not None and again is None and worse is not None
    assert first.feed_ids == [7] and first.incident_version == 1 and worse.kind == "worse"
    with db.session_scope(db_settings) as session:
        deliveries = session.exec(select(Delivery).where(Delivery.alert_id == first.id)).all()
        assert sorted(d.channel for d in deliveries) == ["email", "webhook"]
        assert {d.status for d in deliveries} == {"pending"}
        assert store.delivery_counts(session)["pending"] == 4
        assert store.delivery_counts(session, buyer_id=buyer.id + 1)["pending"] == 0


def test_save_alert_loses_a_race_quietly(
    db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    buyer = add_buyer(db_settings, email="buyer@example.com")
    assert buyer.id is not None
    add_alert(db_settings, buyer.id)
    # Another worker stored the same version between our check and our insert.
    monkeypatch.setattr(store, "_stored", lambda session, row: False)
    with db.session_scope(db_settings) as session:
        assert store.save_alert(session, alert_message(buyer.id)) is None
        # The savepoint kept the caller's transaction usable.
        assert store.save_alert(session, alert_message(buyer.id, version=3)) is not None
    with db.session_scope(db_settings) as session:
        assert len(session.exec(select(Alert)).all()) == 2
        assert len(session.exec(select(Delivery)).all()) == 2


def test_claim_leases_and_groups_a_digest(db_settings: Settings) -> None:
    digest = add_buyer(db_settings, name="Digest", webhook_url="https://example.com/d",
                       digest_minutes=60)  # fmt: skip
    single = add_buyer(db_settings, name="Single", webhook_url="https://example.com/s")
    assert digest.id is not None and single.id is not None
    for version in (1, 2, 3):
        add_alert(db_settings, digest.id, version)
    add_alert(db_settings, single.id)
    now = datetime.now(UTC)
    jobs = claim(db_settings, now, 100)
    assert [(j.buyer_id, len(j.documents)) for j in jobs] == [(single.id, 1)]  # digest not due
    assert claim(db_settings, now, 100) == []  # leased: a second sender finds nothing
    later = now + timedelta(hours=1)  # the digest is due, and the lease has run out
    jobs = claim(db_settings, later, 100)
    assert sorted((j.buyer_id, j.digest, len(j.documents)) for j in jobs) == [
        (digest.id, True, 3),
        (single.id, False, 1),
    ]
    assert {j.message_id.split("_")[0] for j in jobs} == {"digest", "alert"}


def test_bad_or_orphan_alert_messages(local: Settings) -> None:
    with db.session_scope(local) as session:
        assert store.save_alert(session, alert_message(999)) is None  # no such buyer
        for bad in (
            {"buyer_id": 1},
            alert_message("1"),  # type: ignore[arg-type]
            alert_message(1, incident_id="", incident={"id": ""}),
            alert_message(1, kind="maybe"),
            alert_message(1, incident_version=0),
            alert_message(1, severity=None, incident={"severity": None}),
        ):
            with pytest.raises(ValueError):
                store.save_alert(session, bad)


def test_digest_alerts_wait_for_the_end_of_the_period() -> None:
    now = datetime(2026, 12, 2, 10, 7, 30, tzinfo=UTC)
    assert first_attempt(0, now) == now
    assert first_attempt(15, now) == datetime(2026, 12, 2, 10, 15, tzinfo=UTC)
    assert first_attempt(60, now) == datetime(2026, 12, 2, 11, 0, tzinfo=UTC)


def test_chat_destinations_get_a_delivery_each_and_claim_their_url(
    db_settings: Settings,
) -> None:
    buyer = add_buyer(db_settings, webhook_url="https://example.com/h")
    other = add_buyer(db_settings, name="Other")
    assert buyer.id is not None and other.id is not None
    add_destination(db_settings, buyer.id, "teams", "https://example.com/teams/abcd")
    add_destination(db_settings, buyer.id, "slack", "https://example.com/slack/wxyz")
    add_destination(db_settings, other.id, "slack", "https://example.com/slack/other")
    alert = add_alert(db_settings, buyer.id)
    with db.session_scope(db_settings) as session:
        rows = session.exec(select(Delivery).where(Delivery.alert_id == alert.id)).all()
        assert sorted(d.channel for d in rows) == ["slack", "teams", "webhook"]
    jobs = claim(db_settings, datetime.now(UTC), 100)  # FOR UPDATE OF beside an outer join
    assert sorted((j.channel, j.target) for j in jobs) == [
        ("slack", "https://example.com/slack/wxyz"),
        ("teams", "https://example.com/teams/abcd"),
        ("webhook", "https://example.com/h"),
    ]
