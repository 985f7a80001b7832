"""The `make run` demo: sample feeds served on loopback, demo suppliers and buyers loaded once."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlmodel import select

from connectors import registry
from monitor.api.app import create_app
from monitor.db import session_scope
from monitor.incidents import ClusterRules
from monitor.incidents.store import save_incidents
from monitor.local import demo
from monitor.matching.affected import affected
from monitor.matching.alerts import decide_alerts
from monitor.matching.sync import WatchSync
from monitor.models import Buyer, BuyerSupplier, Feed, Supplier, Watch
from monitor.settings import Settings
from monitor.tagger.tag import tag_items
from streams.incidents import cluster_reports
from streams.records import DisruptionRecord, ItemRecord
from streams.tag import tagged


def test_every_sample_feed_is_served_and_parses_as_its_kind() -> None:
    server = demo.serve_samples("127.0.0.1", 0)
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        for name, kind in demo.SAMPLE_FEEDS.items():
            response = httpx.get(f"{base}/{name}")
            assert response.status_code == 200, name
            assert registry.parse(response.content, kind=kind, url=f"{base}/{name}"), name
    finally:
        server.shutdown()


def test_directory_loads_buyers_with_watches_and_current_suppliers(db_settings: Settings) -> None:
    suppliers, buyers = demo.load_directory(settings=db_settings, count=400)
    assert suppliers >= 400 and buyers == len(demo.DEMO_BUYERS)
    assert demo.load_directory(settings=db_settings, count=400) == (suppliers, buyers)
    with session_scope(db_settings) as session:
        cocoa = session.exec(select(Buyer).where(Buyer.name.startswith("Demo: Choc"))).one()  # type: ignore[attr-defined]
        watch = session.exec(select(Watch).where(Watch.buyer_id == cocoa.id)).one()
        current = session.exec(
            select(BuyerSupplier).where(BuyerSupplier.buyer_id == cocoa.id)
        ).all()
        countries = {session.get(Supplier, link.supplier_id).country for link in current}  # type: ignore[union-attr]
        assert watch.materials == ["cocoa"] and countries and watch.countries == sorted(countries)


def test_demo_key_reads_the_first_demo_buyers_alerts_and_replaces_the_last_one(
    db_settings: Settings,
) -> None:
    demo.load_directory(settings=db_settings, count=400)
    buyer, first = demo.demo_key(settings=db_settings)
    _, second = demo.demo_key(settings=db_settings)
    assert buyer == next(iter(demo.DEMO_BUYERS)) and first != second
    client = TestClient(create_app(db_settings))
    with session_scope(db_settings) as session:
        buyer_id = session.exec(select(Buyer.id).where(Buyer.name == buyer)).one()
    mine = client.get(f"/api/v1/buyers/{buyer_id}", headers={"Authorization": f"Bearer {second}"})
    assert mine.status_code == 200 and mine.json()["name"] == buyer
    old = client.get(f"/api/v1/buyers/{buyer_id}", headers={"Authorization": f"Bearer {first}"})
    assert old.status_code == 401


def test_catalogue_demo_is_chosen_by_environment(monkeypatch) -> None:
    monkeypatch.setenv("MONITOR_DEMO_FEEDS", "catalogue")
    monkeypatch.setenv("MONITOR_DEMO_FEEDS_PORT", "8799")
    settings = Settings()
    assert (settings.demo_feeds, settings.demo_feeds_port) == ("catalogue", 8799)
    assert Settings(demo_feeds="samples").demo_feeds == "samples"


def test_catalogue_demo_registers_every_catalogue_feed_once(db_settings: Settings) -> None:
    from monitor.feeds import catalogue

    total = len(catalogue.entries())
    assert demo.register_catalogue(settings=db_settings) == (total, 0)
    assert demo.register_catalogue(settings=db_settings) == (0, total)
    with session_scope(db_settings) as session:
        urls = {feed.url for feed in session.exec(select(Feed)).all()}
    assert urls == {entry.url for entry in catalogue.entries()}


def _sample_incidents(settings: Settings) -> list[dict[str, Any]]:
    """Store and return the open incidents the sample feeds make: each read as the connectors
    read it, tagged as the tag stage forwards it and clustered as the incidents stage does."""
    reports: list[DisruptionRecord] = []
    for name, kind in demo.SAMPLE_FEEDS.items():
        items = registry.parse((demo.SAMPLES / name).read_bytes(), kind=kind, url=name)
        records = [ItemRecord.from_data({**item.to_dict(), "feed_id": 1}) for item in items]
        for record, result in zip(records, tag_items(r.asdict() for r in records), strict=True):
            if (forward := tagged(record, result).forward) is not None:
                reports.append(forward)
    rules = ClusterRules.from_settings(settings.incidents)
    done = cluster_reports(reports, {}, now=datetime.now(UTC), rules=rules)
    latest = {change.incident["id"]: change.incident for change in done.changes}
    with session_scope(settings) as session:
        save_incidents(session, latest.values())
    return [incident for incident in latest.values() if incident["status"] == "open"]


def test_every_demo_alert_is_on_its_buyers_map(db_settings: Settings) -> None:
    demo.load_directory(settings=db_settings, count=400)
    incidents = _sample_incidents(db_settings)
    radius = db_settings.matching.supplier_watch_radius_km
    sync = WatchSync(supplier_radius_km=radius)
    with session_scope(db_settings) as session:
        sync.refresh(session)
        names = {b.id: b.name for b in session.exec(select(Buyer)) if b.name in demo.DEMO_BUYERS}
        alerted: dict[str, set[str]] = {name: set() for name in names.values()}
        for incident in incidents:  # what the match stage decides for each
            decisions, _ = decide_alerts(incident, sync.index.match(incident), None)
            for decision in decisions:
                alerted[names[decision.buyer_id]].add(incident["title"])
        maps = {name: affected(session=session, buyer_id=buyer_id or 0, radius_km=radius)
                for buyer_id, name in names.items()}  # fmt: skip
    suppliers = {name: {hit["title"] for hit in found.suppliers} for name, found in maps.items()}
    watches = {name: {hit["title"] for hit in found.watches} for name, found in maps.items()}
    # Each alert is on the buyer's map: an affected supplier, or the written watch it came
    # through (a watch on a whole country hears of a drought box far from every supplier).
    assert alerted == {name: suppliers[name] | watches[name] for name in names.values()}
    assert any(watches[name] - suppliers[name] for name in names.values())  # the Brazil case
