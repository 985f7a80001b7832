"""Shared test builders: feed rows through the feeds service, each in its own transaction."""

from __future__ import annotations

from typing import Any

from monitor import feeds
from monitor.db import session_scope
from monitor.errors import validated
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
