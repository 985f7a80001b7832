"""Shared test helpers: feed rows through the feeds service (each in its own transaction), and
the SQL statements a block of code runs."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from monitor import db
from monitor.db import session_scope
from monitor.errors import validated
from monitor.feeds import service as feeds
from monitor.models import Feed, FeedCreate
from monitor.settings import Settings


def add_feed(settings: Settings, **fields: Any) -> Feed:
    """Add a feed (url, kind, name, interval_s) and return it."""
    with session_scope(settings) as session:
        return feeds.add_feed(session=session, data=validated(FeedCreate, **fields))


def get_feed(settings: Settings, feed_id: int) -> Feed:
    """Return a feed as stored now."""
    with session_scope(settings) as session:
        return feeds.get_feed(session=session, feed_id=feed_id)


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
