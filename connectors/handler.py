"""Turn a batch of fetches into produced items and updated feed health (blocking code).

The poller calls `Handler.handle` in a worker thread with feeds fetched together, so one
dedup look-up, one Kafka flush and one database transaction serve the whole batch.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from connectors import schedule
from connectors.base import Item, Items, ParseError
from connectors.dedup import SeenIndex
from connectors.http import FetchResult
from connectors.producer import Producer, problem
from connectors.redact import redact, redact_url
from connectors.websub import discover
from monitor.feeds import websub
from monitor.models import Feed
from monitor.settings import Settings

log = logging.getLogger(__name__)
GONE = "HTTP 410 Gone: the server removed this feed; polling stopped (re-add it to resume)"


@dataclass
class Fetched:
    """One feed's fetch: the feed as it was loaded, and a result or an error in words."""

    feed: Feed
    result: FetchResult | None = None
    error: str | None = None
    at: datetime = field(default_factory=lambda: datetime.now(UTC))
    pushed: bool = False  # a WebSub hub sent the body: no hub discovery (pushes may omit it)


@dataclass
class Outcome:
    """What happened to one feed in a batch."""

    ok: bool
    error: str | None = None
    items: list[Item] = field(default_factory=list)
    produced: int = 0
    links: dict[str, str] = field(default_factory=dict)  # the feed's own links (WebSub hub)


def parse_body(feed: Feed, result: FetchResult) -> tuple[str, list[Item]]:
    """Parse a 200 body with the feed's kind, detecting it when the feed has none."""
    from connectors import registry

    kind = feed.kind or registry.detect_kind(result.body or b"", result.content_type)
    items = registry.parse(
        result.body or b"",
        kind=kind,
        feed_id=feed.id,
        url=result.url,
        content_type=result.content_type,
    )
    return kind, items


def http_error(result: FetchResult) -> str:
    """Describe a non-success status in words."""
    from http import HTTPStatus

    try:
        phrase = HTTPStatus(result.status).phrase
    except ValueError:
        phrase = "unknown status"
    wait = f"; server asks to retry after {result.retry_after:.0f}s" if result.retry_after else ""
    return f"HTTP {result.status} {phrase} from {redact_url(result.url)}{wait}"


def paused_reason(failures: int, last_error: str) -> str:
    """Say why a feed was paused, with the last error and how to resume it (500 chars)."""
    head = f"paused after {failures} errors in a row ("
    tail = "); `monitor feeds reset-errors` resumes it"
    room = 500 - len(head) - len(tail)
    error = last_error if len(last_error) <= room else last_error[: room - 1] + "…"
    return head + error + tail


class Handler:
    """Parse, dedup, produce and record health for batches of fetched feeds."""

    def __init__(self, settings: Settings, engine: Engine, producer: Producer) -> None:
        self.settings = settings
        self.engine = engine
        self.producer = producer
        self.seen = SeenIndex(engine, chunk=settings.polling.dedup_chunk)
        self.parse: Callable[[Feed, FetchResult], tuple[str, list[Item]]] = parse_body

    def handle(self, batch: Sequence[Fetched]) -> dict[int, Outcome]:
        """Handle one batch; return each feed's outcome by feed id."""
        outcomes = {f.feed.id or 0: self._classify(f) for f in batch}
        self._produce(batch, outcomes)
        self._record(batch, outcomes)
        return outcomes

    def _classify(self, fetched: Fetched) -> Outcome:
        result, feed = fetched.result, fetched.feed
        if result is None:
            return Outcome(ok=False, error=fetched.error or "fetch failed")
        if result.status == 304:
            return Outcome(ok=True)
        if result.status != 200:
            return Outcome(ok=False, error=http_error(result))
        try:
            kind, items = self.parse(feed, result)
        except ParseError as exc:
            error = f"cannot parse the feed: {exc}"
        except Exception as exc:  # a parser bug must not stop the other feeds
            log.exception("parser crashed on feed %s", feed.id)
            error = f"parser crashed: {type(exc).__name__}: {exc}"
        else:
            feed.kind = feed.kind or kind
            if isinstance(items, Items) and items.skipped:
                log.info("feed %s: %s", feed.id, items.note())
            links = items.links if isinstance(items, Items) else {}
            return Outcome(ok=True, items=self._valid(feed, items), links=links)
        error = redact(error)
        self.producer.dead_letter(feed_id=feed.id, url=redact_url(feed.url), error=error)
        return Outcome(ok=False, error=error)

    def _valid(self, feed: Feed, items: list[Item]) -> list[Item]:
        good, ids = [], set()
        for item in items:
            why = problem(item)
            if why:
                self.producer.dead_letter(
                    feed_id=feed.id, url=redact_url(feed.url), error=why, item=item.to_dict()
                )
            elif item.id not in ids:
                ids.add(item.id)
                good.append(item)
        return good

    def _produce(self, batch: Sequence[Fetched], outcomes: dict[int, Outcome]) -> None:
        candidates = [item for out in outcomes.values() for item in out.items]
        if not candidates:
            return
        fresh = set(self.seen.unseen(item.id for item in candidates))
        new = [item for item in candidates if item.id in fresh]
        acked, error = self.producer.produce(new)
        # Only what Kafka acknowledged is marked seen; the rest is produced again next poll.
        self.seen.mark([(item.id, item.feed_id) for item in acked])
        acked_ids = {item.id for item in acked}
        for fid, out in outcomes.items():
            out.produced = sum(1 for item in out.items if item.id in acked_ids)
            if any(item.id in fresh and item.id not in acked_ids for item in out.items):
                out.ok, out.error = False, error or "Kafka did not acknowledge every item"
                log.debug("feed %s: %s", fid, out.error)  # the outage is logged once

    def _record(self, batch: Sequence[Fetched], outcomes: dict[int, Outcome]) -> None:
        with Session(self.engine, expire_on_commit=False) as session:
            rows = session.exec(
                select(Feed).where(col(Feed.id).in_([f.feed.id for f in batch]))
            ).all()
            by_id = {row.id: row for row in rows}
            pushed = (
                websub.pushed(
                    session=session, feed_ids=[i for i in by_id if i], now=datetime.now(UTC)
                )
                if websub.enabled(self.settings)
                else set()
            )
            for fetched in batch:
                row = by_id.get(fetched.feed.id)
                if row is not None:  # removed while it was being fetched
                    self._update(session, row, fetched, outcomes[row.id or 0], row.id in pushed)
                    self._note_hub(session, row, fetched, outcomes[row.id or 0])
            session.commit()

    def _note_hub(self, session: Session, row: Feed, fetched: Fetched, out: Outcome) -> None:
        result = fetched.result
        if fetched.pushed or not out.ok or result is None or result.status != 200:
            return
        if not websub.enabled(self.settings):
            return
        hub, topic = discover(result, out.links, self.settings)
        websub.note_hub(session=session, feed=row, hub=hub, topic=topic, now=fetched.at)

    def _update(
        self, session: Session, row: Feed, fetched: Fetched, out: Outcome, pushed: bool
    ) -> None:
        s, result, now = self.settings, fetched.result, fetched.at
        row.last_fetch_at = now
        row.last_status = result.status if result else None
        row.items_produced += out.produced
        row.kind = row.kind or fetched.feed.kind
        if result is not None and result.status == 410:
            row.enabled, row.disabled_reason = False, GONE
        if out.ok and result is not None:
            row.last_success_at, row.consecutive_failures, row.last_error = now, 0, None
            # New validators only once the items they cover are safely in Kafka; a 304 may
            # refresh them (RFC 9111 4.3.4), keeping the old ones where it sends none.
            if result.status == 200:
                row.etag, row.last_modified = result.etag, result.last_modified
            elif result.status == 304:
                row.etag = result.etag or row.etag
                row.last_modified = result.last_modified or row.last_modified
            self._observe(row, now, out.produced)
            row.next_poll_at = schedule.after_success(
                now, interval_s=self._interval(row, now, pushed), max_age=result.max_age,
                max_age_cap_s=s.polling.max_age_cap_s,
            )  # fmt: skip
        else:
            row.consecutive_failures += 1
            row.last_error = redact(out.error or "failed")[:2000]
            row.next_poll_at = schedule.after_failure(
                now, interval_s=row.interval_s, failures=row.consecutive_failures,
                retry_after=result.retry_after if result else None,
                backoff_max_s=s.polling.backoff_max_s,
            )  # fmt: skip
            if row.enabled and 0 < s.polling.pause_after_failures <= row.consecutive_failures:
                self._pause(row, now)
        if result is not None and result.moved_to and result.moved_to != row.url:
            self._move(session, row, result.moved_to)

    def _observe(self, row: Feed, now: datetime, produced: int) -> None:
        if produced:
            row.publish_interval_s = schedule.publish_gap(
                row.publish_interval_s, last_new_at=row.last_new_item_at, now=now,
                new_items=produced,
            )  # fmt: skip
            row.last_new_item_at = now

    def _interval(self, row: Feed, now: datetime, pushed: bool) -> int:
        p = self.settings.polling
        # A feed its hub pushes is still polled, slower, in case the hub misses an update.
        factor = p.websub_fallback_factor if pushed else 1
        if not p.adaptive:
            return row.interval_s * factor
        return factor * schedule.adaptive_interval(
            row.interval_s, publish_gap_s=row.publish_interval_s,
            last_new_at=row.last_new_item_at, now=now, min_s=p.adaptive_min_s,
            max_s=p.adaptive_max_s,
        )  # fmt: skip

    def _pause(self, row: Feed, now: datetime) -> None:
        # A feed failing this long is likely gone or moved; polling it only costs both sides.
        row.enabled, row.paused_at, row.next_poll_at = False, now, None
        row.disabled_reason = paused_reason(row.consecutive_failures, row.last_error or "")
        log.warning("feed %s paused: %s", row.id, row.disabled_reason)

    def _move(self, session: Session, row: Feed, url: str) -> None:
        taken = session.exec(select(Feed.id).where(Feed.url == url)).first()
        if taken is not None:
            log.warning(
                "feed %s moved to %s, which feed %s already polls", row.id, redact_url(url), taken
            )
            return
        log.info(
            "feed %s moved permanently: %s -> %s", row.id, redact_url(row.url), redact_url(url)
        )
        row.url = url
