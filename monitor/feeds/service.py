"""The feeds service, shared by the CLI and the API: add, list, change, remove, check, health."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from connectors.base import Item
from connectors.check import check_url
from connectors.dedup import SeenIndex
from connectors.netguard import Allowlist, literal_refusal
from connectors.redact import redact_url
from monitor.alerts import service as alerts_service
from monitor.buyers import service as buyers
from monitor.columns import utcnow
from monitor.errors import Conflict, InvalidInput, NotFound
from monitor.feedback import counts as feedback_counts
from monitor.feeds.models import (
    TAG_MAX,
    TAGS_MAX,
    Feed,
    FeedCreate,
    FeedHealth,
    FeedUpdate,
    Noise,
    WatchNoise,
)
from monitor.models import SeenItem
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


def valid_url(url: str) -> str:
    """Return `url` stripped, or raise InvalidInput unless it is an http(s) address."""
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError as exc:
        raise InvalidInput("url", f"not a feed URL: {redact_url(url)!r} ({exc})") from exc
    if parts.scheme not in ("http", "https") or not parts.hostname:
        shown = redact_url(url)
        raise InvalidInput("url", f"not a feed URL: {shown!r}; give an http(s):// address")
    return url.strip()


def guard_url(url: str, *, settings: Settings) -> str:
    """Return `url` checked as `valid_url` does, refusing private addresses given literally."""
    url = valid_url(url)
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    allow = Allowlist(settings.fetch.allow_private_hosts)
    reason = literal_refusal(parts.hostname or "", port, allow)
    if reason:
        raise InvalidInput("url", f"refusing {redact_url(url)}: {reason}")
    return url


def valid_kind(kind: str | None) -> str | None:
    """Return `kind` when a connector is registered for it (None: detect on fetch)."""
    if kind is None:
        return None
    from connectors import registry

    if kind not in registry.KINDS:
        known = ", ".join(sorted(registry.KINDS))
        raise InvalidInput("kind", f"unknown feed kind {kind!r}; known: {known}")
    return kind


def clean_tags(tags: list[str]) -> list[str]:
    """Return tags as plain one-line text, without outer slashes, repeats or empties."""
    kept: dict[str, str] = {}
    for tag in tags:
        text = " ".join(str(tag).split()).strip("/ ")[:TAG_MAX].strip()
        if text and text.casefold() not in kept:
            kept[text.casefold()] = text
    return list(kept.values())[:TAGS_MAX]


STATES = ("new", "ok", "failing", "paused", "disabled")


def state(feed: Feed) -> str:
    """Return a feed's state in one word: new, ok, failing, paused or disabled."""
    return state_of(
        enabled=feed.enabled, paused_at=feed.paused_at, last_fetch_at=feed.last_fetch_at,
        failures=feed.consecutive_failures,
    )  # fmt: skip


def state_of(
    *, enabled: bool, paused_at: datetime | None, last_fetch_at: datetime | None, failures: int
) -> str:
    """Return the state in one word of a feed with these fields."""
    if paused_at is not None:
        return "paused"
    if not enabled:
        return "disabled"
    if last_fetch_at is None:
        return "new"
    return "failing" if failures else "ok"


def add_feed(*, session: Session, data: FeedCreate) -> Feed:
    """Add a feed to poll; its kind is detected on the first fetch when not given."""
    feed = Feed(
        url=valid_url(data.url), kind=valid_kind(data.kind), name=data.name,
        interval_s=data.interval_s, tags=clean_tags(data.tags),
    )  # fmt: skip
    if session.exec(select(Feed.id).where(Feed.url == feed.url)).first() is not None:
        raise Conflict(f"a feed with URL {redact_url(feed.url)} already exists")
    session.add(feed)
    try:
        session.flush()
    except IntegrityError as exc:  # added by someone else in the meantime
        session.rollback()
        raise Conflict(f"a feed with URL {redact_url(feed.url)} already exists") from exc
    session.refresh(feed)
    return feed


def list_feeds(*, session: Session, limit: int | None = None, offset: int = 0) -> list[Feed]:
    """Return feeds in id order (a page of them when `limit` is given)."""
    query = select(Feed).order_by(col(Feed.id)).offset(offset)
    return list(session.exec(query.limit(limit) if limit is not None else query).all())


def count_feeds(*, session: Session) -> int:
    """Return how many feeds there are."""
    return session.exec(select(func.count()).select_from(Feed)).one()


def get_feed(*, session: Session, feed_id: int) -> Feed:
    """Return one feed with its health record."""
    feed = session.get(Feed, feed_id)
    if feed is None:
        raise NotFound(f"no feed with id {feed_id}; `monitor feeds list` shows them")
    return feed


def update_feed(*, session: Session, feed_id: int, data: FeedUpdate) -> Feed:
    """Change a feed's kind, name, interval or whether it is polled."""
    feed = get_feed(session=session, feed_id=feed_id)
    changes = data.model_dump(exclude_unset=True)
    if "kind" in changes:
        changes["kind"] = valid_kind(changes["kind"])
    if changes.get("tags") is not None:
        changes["tags"] = clean_tags(changes["tags"])
    for name, value in changes.items():
        if value is not None or name == "kind":
            setattr(feed, name, value)
    if "enabled" in changes and changes["enabled"] is not None:
        feed.paused_at = None  # switched on or off by hand: no longer paused by errors
    if changes.get("enabled"):
        feed.disabled_reason, feed.next_poll_at = None, None  # re-enabled: poll it soon
        feed.consecutive_failures = 0
    session.add(feed)
    session.flush()
    return feed


def reset_errors(*, session: Session, feed_id: int | None = None) -> list[Feed]:
    """Clear the error count of one feed (or of every feed) and resume those errors paused."""
    if feed_id is not None:
        rows = [get_feed(session=session, feed_id=feed_id)]
    else:
        query = select(Feed).where(
            (col(Feed.consecutive_failures) > 0) | col(Feed.paused_at).is_not(None)
        )
        rows = list(session.exec(query.order_by(col(Feed.id))).all())
    for feed in rows:
        if feed.paused_at is not None:  # a feed the operator switched off stays off
            feed.enabled, feed.paused_at, feed.disabled_reason = True, None, None
        feed.consecutive_failures, feed.next_poll_at = 0, None
        session.add(feed)
    session.flush()
    return rows


def state_counts(*, session: Session) -> dict[str, int]:
    """Return how many feeds are in each state (every state named, zeros included)."""
    counts = dict.fromkeys(STATES, 0)
    query = select(
        Feed.enabled, col(Feed.paused_at), col(Feed.last_fetch_at), Feed.consecutive_failures
    )
    for enabled, paused_at, fetched, failures in session.exec(query).all():
        key = state_of(
            enabled=enabled, paused_at=paused_at, last_fetch_at=fetched, failures=failures
        )
        counts[key] += 1
    return counts


def remove_feed(*, session: Session, feed_id: int) -> Feed:
    """Remove a feed and its seen-items index entries."""
    feed = get_feed(session=session, feed_id=feed_id)
    session.delete(feed)
    session.flush()
    return feed


RATE_DAYS = 7  # items_per_day is the mean over this many days


def health(*, session: Session, feeds: list[Feed]) -> list[FeedHealth]:
    """Return the feeds with their state, items per day, alerts, false alarms (by reason) and
    precision; counts only, never a buyer's note."""
    ids = [f.id for f in feeds if f.id is not None]
    alerts = feedback_counts.feed_counts(session=session, feed_ids=ids)
    items = items_seen(session=session, feed_ids=ids)
    return [
        FeedHealth.model_validate(
            f,
            update={
                "state": state(f),
                "alerts": alerts[f.id].alerts if f.id else 0,
                "false_alarms": alerts[f.id].false_alarms if f.id else 0,
                "false_alarm_reasons": dict(alerts[f.id].reasons) if f.id else {},
                "precision": alerts[f.id].precision if f.id else None,
                "items_per_day": round(items[f.id or 0] / RATE_DAYS, 2),
            },
        )
        for f in feeds
    ]


def items_seen(*, session: Session, feed_ids: list[int]) -> Counter[int]:
    """Return how many new items each feed produced over the last RATE_DAYS days."""
    since = utcnow() - timedelta(days=RATE_DAYS)
    rows = session.exec(
        select(SeenItem.feed_id, func.count())
        .where(col(SeenItem.feed_id).in_(feed_ids), col(SeenItem.seen_at) >= since)
        .group_by(col(SeenItem.feed_id))
    ).all()
    return Counter({feed_id: count for feed_id, count in rows if feed_id is not None})


def check_feed(
    *, session: Session, settings: Settings, url: str, kind: str | None = None
) -> CheckReport:
    """Fetch a URL once and report what would be produced; change nothing."""
    url, kind = valid_url(url), valid_kind(kind)
    known = session.exec(select(Feed).where(Feed.url == url)).first()
    kind = kind or (known.kind if known else None)
    checked = asyncio.run(
        check_url(url, settings=settings, kind=kind, feed_id=known.id if known else None)
    )
    report = CheckReport(
        url=url, status=checked.status, kind=checked.kind, items=checked.items,
        moved_to=checked.moved_to, error=checked.error,
    )  # fmt: skip
    if checked.items:
        seen = SeenIndex(session.get_bind(), chunk=settings.polling.dedup_chunk)  # type: ignore[arg-type]
        report.new_ids = seen.unseen(item.id for item in checked.items)
    return report


def noise(*, session: Session) -> Noise:
    """Return the feeds and the watches (rules) that raised false alarms, noisiest first."""
    rows = health(session=session, feeds=list_feeds(session=session))
    by_watch = alerts_service.false_alarms_by_watch(session=session)
    watches = buyers.get_watches(session=session, watch_ids=list(by_watch))
    return Noise(
        feeds=sorted((f for f in rows if f.false_alarms), key=lambda f: -f.false_alarms),
        watches=sorted(
            (
                WatchNoise(watch_id=w.id or 0, buyer_id=w.buyer_id, name=w.name,
                           false_alarms=by_watch[w.id or 0])
                for w in watches
            ),
            key=lambda w: -w.false_alarms,
        ),
    )  # fmt: skip
