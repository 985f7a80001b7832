"""Shared test builders: feed rows through the feeds service (each in its own transaction), the
SQL statements a block of code runs, and buyers, incidents and alerts built from a real GDACS
item."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from defusedxml import ElementTree
from sqlalchemy import event

from monitor import db
from monitor.buyers.service import new_webhook_secret
from monitor.columns import utcnow
from monitor.db import session_scope
from monitor.delivery.store import save_alert
from monitor.errors import validated
from monitor.feeds import service as feeds
from monitor.models import Alert, Buyer, Destination, Feed, FeedCreate
from monitor.settings import Settings
from tests.samples import FIXTURES


def add_feed(settings: Settings, **fields: Any) -> Feed:
    """Add a feed (url, kind, name, interval_s) and return it."""
    with session_scope(settings) as session:
        return feeds.add_feed(session=session, data=validated(FeedCreate, **fields))


def get_feed(settings: Settings, feed_id: int) -> Feed:
    """Return a feed as stored now."""
    with session_scope(settings) as session:
        return feeds.get_feed(session=session, feed_id=feed_id)


def pause_feed(settings: Settings, feed_id: int, reason: str = "paused (test)") -> None:
    """Leave a feed as ten errors in a row would: paused, with `reason`."""
    with session_scope(settings) as session:
        row = feeds.get_feed(session=session, feed_id=feed_id)
        row.enabled, row.paused_at, row.consecutive_failures = False, utcnow(), 10
        row.disabled_reason, row.last_fetch_at = reason, utcnow()


def list_feeds(settings: Settings) -> list[Feed]:
    """Return every feed."""
    with session_scope(settings) as session:
        return feeds.list_feeds(session=session)


def remove_feed(settings: Settings, feed_id: int) -> Feed:
    """Remove a feed."""
    with session_scope(settings) as session:
        return feeds.remove_feed(session=session, feed_id=feed_id)


@contextmanager
def statements(settings: Settings) -> Iterator[list[str]]:
    """Collect the SQL of every statement the database is sent inside the block."""
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    engine = db.get_engine(settings)
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@functools.cache
def gdacs_item() -> tuple[str, str, str]:
    """Return (title, link, country) of the first item of a real GDACS feed."""
    ns = {"gdacs": "http://www.gdacs.org"}
    item = ElementTree.parse(FIXTURES / "gdacs" / "gdacs-rss.xml").getroot().find("channel/item")
    assert item is not None
    country = item.findtext("gdacs:country", namespaces=ns) or ""
    return item.findtext("title") or "", item.findtext("link") or "", country


def gdacs_incident(version: int = 1, **changes: Any) -> dict[str, Any]:
    """Return an incident (DESIGN.md shape) built from the first item of a real GDACS feed."""
    title, url, country = gdacs_item()
    incident = {
        "id": "inc-gdacs-1000643",
        "title": title,
        "event_type": "cyclone",
        "severity": "high",
        "status": "open",
        "countries": ["MU"],
        "places": [{"name": country, "country": "MU", "kind": "country"}],
        "materials": [{"name": "sugar", "hs": "1701"}],
        "sources": [{"item_id": "gdacs-1", "url": url, "title": title, "feed_id": 7,
                     "published": "2019-12-29T12:00:00Z"}],
        "evidence": [{"text": "tropical cyclone", "why": "event trigger"}],
        "first_seen": "2019-12-29T12:00:00Z",
        "last_seen": "2019-12-29T12:00:00Z",
        "version": version,
    }  # fmt: skip
    incident.update(changes)
    return incident


def alert_message(buyer_id: int, version: int = 1, **changes: Any) -> dict[str, Any]:
    """Return an alert message as the match agent sends it."""
    incident = gdacs_incident(version, **changes.pop("incident", {}))
    message = {
        "buyer_id": buyer_id,
        "incident_id": incident["id"],
        "watch_id": None,
        "kind": "new",
        "severity": incident["severity"],
        "why": {"watch": {"id": 3, "name": "sugar from Mauritius"}, "materials": ["sugar"],
                "places": incident["places"], "evidence": incident["evidence"]},
        "suggestions": [{"material": "sugar", "suppliers": [
            {"id": 11, "name": "Cane Co-op", "country": "FJ", "score": 0.8, "reasons": []}]}],
        "incident": incident,
    }  # fmt: skip
    message.update(changes)
    return message


def add_buyer(settings: Settings, **fields: Any) -> Buyer:
    """Insert a buyer and return it (with its webhook secret)."""
    fields.setdefault("name", "Acme Sweets")
    fields.setdefault("webhook_secret", new_webhook_secret())
    with db.session_scope(settings) as session:
        buyer = Buyer(**fields)
        session.add(buyer)
        session.flush()
        return buyer


def add_destination(settings: Settings, buyer_id: int, kind: str, url: str) -> Destination:
    """Insert a buyer's Slack or Teams destination and return it."""
    with db.session_scope(settings) as session:
        row = Destination(buyer_id=buyer_id, kind=kind, url=url)
        session.add(row)
        session.flush()
        return row


def add_alert(settings: Settings, buyer_id: int, version: int = 1, **changes: Any) -> Alert:
    """Store an alert message for `buyer_id` and return the row."""
    with db.session_scope(settings) as session:
        alert = save_alert(session, alert_message(buyer_id, version, **changes))
        assert alert is not None
        return alert
