"""The `make run` demo: sample feeds served on loopback, demo suppliers and buyers loaded once."""

from __future__ import annotations

import httpx
from fastapi.testclient import TestClient
from sqlmodel import select

from connectors import registry
from monitor.api.app import create_app
from monitor.db import session_scope
from monitor.local import demo
from monitor.models import Buyer, BuyerSupplier, Feed, Supplier, Watch
from monitor.settings import Settings


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
