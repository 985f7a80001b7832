"""Feed operations shared by the CLI and the API: add, list, get, remove, check."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from connectors.base import Item, ParseError
from connectors.dedup import SeenIndex
from connectors.http import FetchError, FetchResult, fetch, make_client
from connectors.redact import redact_url
from monitor.db import get_engine, session_scope
from monitor.errors import MonitorError
from monitor.models import Feed
from monitor.settings import Settings


@dataclass
class CheckReport:
    """What polling a URL once would do, without changing anything."""

    url: str
    status: int | None = None
    kind: str | None = None
    items: list[Item] = field(default_factory=list)
    new_ids: list[str] = field(default_factory=list)  # not produced yet: would be produced
    moved_to: str | None = None
    error: str | None = None


def _valid_url(url: str) -> str:
    parts = urlsplit(url.strip())
    try:
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as exc:
        raise MonitorError(f"not a feed URL: {redact_url(url)!r} ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise MonitorError(f"not a feed URL: {redact_url(url)!r}; give an http(s):// address")
    return url.strip()


def _valid_kind(kind: str | None) -> str | None:
    if kind is None:
        return None
    from connectors import registry

    try:
        registry.get(kind)
    except (KeyError, ValueError, ParseError) as exc:
        raise MonitorError(f"unknown feed kind {kind!r}: {exc}") from exc
    return kind


def add_feed(
    *, settings: Settings, url: str, kind: str | None = None, name: str = "", interval_s: int = 600
) -> Feed:
    """Add a feed to poll; its kind is detected on the first fetch when not given."""
    if interval_s < 30:
        raise MonitorError(f"interval {interval_s}s is too short: use 30 seconds or more")
    feed = Feed(url=_valid_url(url), kind=_valid_kind(kind), name=name, interval_s=interval_s)
    try:
        with session_scope(settings) as session:
            session.add(feed)
            session.flush()
            session.refresh(feed)
    except IntegrityError as exc:
        raise MonitorError(f"a feed with URL {redact_url(url)} already exists") from exc
    return feed


def list_feeds(*, settings: Settings) -> list[Feed]:
    """Return every feed, in id order."""
    with session_scope(settings) as session:
        return list(session.exec(select(Feed).order_by(col(Feed.id))).all())


def get_feed(*, settings: Settings, feed_id: int) -> Feed:
    """Return one feed with its health record."""
    with session_scope(settings) as session:
        feed = session.get(Feed, feed_id)
        if feed is None:
            raise MonitorError(f"no feed with id {feed_id}; `monitor feeds list` shows them")
        return feed


def remove_feed(*, settings: Settings, feed_id: int) -> Feed:
    """Remove a feed and its seen-items index entries."""
    with session_scope(settings) as session:
        feed = session.get(Feed, feed_id)
        if feed is None:
            raise MonitorError(f"no feed with id {feed_id}; `monitor feeds list` shows them")
        session.delete(feed)
        return feed


def check_feed(*, settings: Settings, url: str, kind: str | None = None) -> CheckReport:
    """Fetch a URL once and report what would be produced; change nothing."""
    url, kind = _valid_url(url), _valid_kind(kind)
    report = CheckReport(url=url)
    with session_scope(settings) as session:
        known = session.exec(select(Feed).where(Feed.url == url)).first()
    try:
        result = asyncio.run(_fetch_once(settings, url))
    except FetchError as exc:
        report.error = str(exc)
        return report
    report.status, report.moved_to = result.status, result.moved_to
    if result.status != 200:
        from connectors.handler import http_error

        report.error = None if result.status == 304 else http_error(result)
        return report
    from connectors.handler import parse_body

    probe = Feed(
        id=known.id if known else None, url=url, kind=kind or (known.kind if known else None)
    )
    try:
        report.kind, report.items = parse_body(probe, result)
    except ParseError as exc:
        report.error = f"cannot parse the feed: {exc}"
        return report
    seen = SeenIndex(get_engine(settings), chunk=settings.dedup_chunk)
    report.new_ids = seen.unseen(item.id for item in report.items)
    return report


async def _fetch_once(settings: Settings, url: str) -> FetchResult:
    async with make_client(settings) as client:
        return await fetch(client, url, settings=settings)
