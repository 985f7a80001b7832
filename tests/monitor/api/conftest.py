"""One small world for the API tests: two buyers with their own watches and alerts, a feed,
an incident, a supplier, and a key per role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from monitor import db
from monitor.buyers import destinations
from monitor.buyers import service as buyers
from monitor.buyers.models import DestinationCreate
from monitor.keys import service as apikeys
from monitor.models import (
    Alert,
    BuyerCreate,
    BuyerSupplier,
    Feed,
    Incident,
    WatchCreate,
)
from monitor.settings import Settings
from monitor.suppliers import service
from monitor.suppliers.models import SupplierCreate


@dataclass
class World:
    """Everything a test needs to call the API as each role."""

    client: TestClient
    settings: Settings
    keys: dict[str, str] = field(default_factory=dict)  # admin, operator, viewer, a, b
    ids: dict[str, int] = field(default_factory=dict)  # buyer_a, watch_b, alert_b, feed, ...
    incident: str = "inc-antwerp-strike"

    def as_(self, who: str) -> dict[str, str]:
        """Return the headers that call as `who`."""
        return {"Authorization": f"Bearer {self.keys[who]}"}


def incident_row(incident_id: str, feed_id: int, **fields: object) -> Incident:
    """Return a plausible incident (a port strike in Antwerp hitting cocoa) with overrides."""
    base: dict[str, object] = {
        "id": incident_id,
        "title": "Dockworkers strike at the port of Antwerp",
        "event_type": "strike",
        "severity": "high",
        "countries": ["BE"],
        "materials": [{"name": "cocoa", "hs": "1801"}],
        "places": [{"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR"}],
        "sources": [
            {
                "item_id": "i1",
                "url": "https://news.example/a",
                "title": "Strike",
                "feed_id": feed_id,
            }
        ],
        "evidence": [{"text": "went on strike", "start": 10, "end": 24, "why": "event trigger"}],
    }
    return Incident(**(base | fields))


def build_world(settings: Settings) -> World:
    """Fill a migrated database with two buyers' data and one key per role."""
    world = World(client=TestClient(_app(settings)), settings=settings)
    with db.session_scope(settings) as s:
        feed = Feed(url="https://news.example/rss", kind="rss", name="news")
        s.add(feed)
        s.flush()
        world.ids["feed"] = feed.id or 0
        s.add(incident_row(world.incident, feed.id or 0))
        for who in ("a", "b"):
            buyer = buyers.create_buyer(session=s, data=BuyerCreate(name=f"Buyer {who.upper()}"))
            watch = buyers.create_watch(
                session=s, buyer_id=buyer.id,
                data=WatchCreate(name=f"cocoa watch {who}", materials=["cocoa"], countries=["BE"]),
            )  # fmt: skip
            alert = Alert(
                buyer_id=buyer.id, incident_id=world.incident, watch_id=watch.id,
                severity="high", why={"watch": watch.name}, feed_ids=[feed.id or 0],
                incident={"id": world.incident},
            )  # fmt: skip
            s.add(alert)
            s.flush()
            world.ids |= {f"buyer_{who}": buyer.id, f"watch_{who}": watch.id}
            world.ids[f"alert_{who}"] = alert.id or 0
            world.keys[who] = apikeys.create_key(session=s, role="buyer", buyer_id=buyer.id)[1]
        supplier, _ = service.upsert(
            session=s,
            data=SupplierCreate(
                name="Kumasi Cocoa Coop", country="GH", city="Kumasi", lat=6.69, lon=-1.62,
                materials=["cocoa"], external_id="t-kumasi",
            ),
        )  # fmt: skip
        world.ids["supplier"] = supplier.id or 0
        hook = "https://prod-01.example.logic.azure.com/workflows/b/run?sig=secretB"
        world.ids["destination_b"] = destinations.add_destination(
            session=s, buyer_id=world.ids["buyer_b"], data=DestinationCreate(kind="teams", url=hook)
        ).id
        for who in ("a", "b"):
            s.add(BuyerSupplier(buyer_id=world.ids[f"buyer_{who}"], supplier_id=supplier.id or 0))
        for role in ("admin", "operator", "viewer"):
            world.keys[role] = apikeys.create_key(session=s, role=role)[1]
    return world


def _app(settings: Settings):  # type: ignore[no-untyped-def]
    from monitor.api.app import create_app

    return create_app(settings)


@pytest.fixture
def api_settings(tmp_path: Path) -> Settings:
    """Settings for a migrated SQLite database in tmp_path."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'api.db'}",
        fetch={"allow_private_hosts": ["127.0.0.1"]},
        api={"stream_poll_s": 0.05, "stream_heartbeat_s": 0.2},
    )
    db.upgrade(settings)
    return settings


@pytest.fixture
def world(api_settings: Settings) -> Iterator[World]:
    """The two-buyer world on SQLite."""
    built = build_world(api_settings)
    with built.client:
        yield built
