"""One asyncio process polls many feeds: bounded concurrency, per-host limits, own intervals."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import zlib
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx
from sqlalchemy import Engine, func
from sqlmodel import Session, col, or_, select

from connectors.handler import Fetched, Handler
from connectors.http import FetchError, fetch, make_client
from connectors.producer import Producer
from connectors.redact import redact
from connectors.subscriber import Subscriber
from monitor.feeds import websub
from monitor.models import Feed
from monitor.settings import Settings

log = logging.getLogger(__name__)


@dataclass
class RoundStats:
    """What one round over the due feeds did."""

    polled: int = 0
    failed: int = 0
    produced: int = 0


@dataclass
class Lane:
    """One HTTP client and the slots that keep its pool from queueing requests."""

    client: httpx.AsyncClient
    slots: asyncio.Semaphore


def parse_shard(text: str) -> tuple[int, int]:
    """Parse `i/n` (0 <= i < n) into (i, n)."""
    try:
        i, n = (int(part) for part in text.split("/"))
    except ValueError:
        raise ValueError(f"shard must look like i/n (e.g. 0/4), not {text!r}") from None
    if not 0 <= i < n:
        raise ValueError(f"shard {text!r}: need 0 <= i < n")
    return i, n


class Poller:
    """Poll the due feeds of one shard, round after round, until stopped."""

    def __init__(
        self,
        settings: Settings,
        *,
        engine: Engine,
        producer: Producer,
        shard: tuple[int, int] = (0, 1),
    ) -> None:
        self.settings = settings
        self.engine = engine
        self.producer = producer
        self.shard = shard
        self.handler = Handler(settings, engine, producer)
        self.stop = asyncio.Event()
        self._slots = asyncio.Semaphore(settings.polling.concurrency)
        self._hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(settings.polling.per_host)
        )
        self._host_turn: dict[str, float] = {}  # loop time each host's next request may start

    def _sharded(self, query: Any) -> Any:
        i, n = self.shard
        return (
            query.where(col(Feed.enabled)).where(col(Feed.id) % n == i)
            if n > 1
            else (query.where(col(Feed.enabled)))
        )

    def due(self, now: datetime) -> list[Feed]:
        """Return this shard's enabled feeds whose next poll time has come."""
        query = self._sharded(select(Feed)).where(
            or_(col(Feed.next_poll_at).is_(None), col(Feed.next_poll_at) <= now)
        )
        with Session(self.engine, expire_on_commit=False) as session:
            return list(session.exec(query.order_by(col(Feed.id))).all())

    def seconds_to_next(self, now: datetime) -> float:
        """Return how long until this shard's next feed is due (capped at polling.idle_s)."""
        with Session(self.engine) as session:
            nxt = session.exec(self._sharded(select(func.min(Feed.next_poll_at)))).first()
        if nxt is None:
            return self.settings.polling.idle_s
        return min(self.settings.polling.idle_s, max(0.0, (nxt - now).total_seconds()))

    async def run(self, *, once: bool = False) -> None:
        """Poll rounds until `stop` is set (or once); in-flight fetches finish first."""
        async with self.lanes() as lanes, self.subscribing(lanes[0].client):
            while not self.stop.is_set():
                try:
                    stats = await self.poll_round(lanes)
                except Exception:  # the database or Kafka went away: log, wait, try again
                    log.exception(
                        "poll round failed; retrying in %.0fs", self.settings.polling.idle_s
                    )
                    if once:
                        raise
                    wait = self.settings.polling.idle_s
                else:
                    log.info(
                        "round: %d feeds polled, %d failed, %d items produced",
                        stats.polled, stats.failed, stats.produced,
                    )  # fmt: skip
                    if once:
                        break
                    wait = await asyncio.to_thread(self.seconds_to_next, datetime.now(UTC))
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.stop.wait(), timeout=max(wait, 0.5))

    @contextlib.asynccontextmanager
    async def subscribing(self, client: httpx.AsyncClient) -> AsyncIterator[None]:
        """Subscribe to and renew this shard's WebSub hubs beside the rounds, when WebSub is on."""
        if not websub.enabled(self.settings):
            yield
            return
        subscriber = Subscriber(self.settings, engine=self.engine, shard=self.shard)
        task = asyncio.create_task(subscriber.run(client, self.stop))
        try:
            yield
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @contextlib.asynccontextmanager
    async def lanes(self) -> AsyncIterator[list[Lane]]:
        """Open the HTTP clients a run polls with, and close them at the end."""
        # httpx's pool scans its connections and waiting requests on every request, so the
        # fetches are spread over many small clients, each never asked for more than its
        # connections, a host always on the same one (keep-alive reuse).
        size = self.settings.polling.pool_size
        count = max(1, -(-self.settings.polling.concurrency // size))
        async with contextlib.AsyncExitStack() as stack:
            yield [
                Lane(
                    await stack.enter_async_context(make_client(self.settings, connections=size)),
                    asyncio.Semaphore(size),
                )
                for _ in range(count)
            ]

    async def poll_round(self, lanes: list[Lane] | None = None) -> RoundStats:
        """Fetch every due feed concurrently and hand the results over in batches."""
        if lanes is None:
            async with self.lanes() as own:
                return await self.poll_round(own)
        feeds = await asyncio.to_thread(self.due, datetime.now(UTC))
        queue: asyncio.Queue[Fetched | None] = asyncio.Queue()
        drain = asyncio.create_task(self._drain(queue))
        try:
            await asyncio.gather(*(self._fetch_one(lanes, feed, queue) for feed in feeds))
        finally:
            queue.put_nowait(None)
        return await drain

    async def _fetch_one(
        self, lanes: list[Lane], feed: Feed, queue: asyncio.Queue[Fetched | None]
    ) -> None:
        parts = urlsplit(feed.url)
        host = parts.hostname or ""
        lane = lanes[zlib.crc32(parts.netloc.encode()) % len(lanes)]
        if not await self._polite(host):
            return  # stopped while waiting its turn; stays due
        # Narrow slots first: a feed waiting on a busy host or client holds no global slot.
        async with self._hosts[host], lane.slots, self._slots:
            if self.stop.is_set():
                return  # stays due; the next run picks it up
            fetched = Fetched(feed=feed)
            try:
                fetched.result = await fetch(
                    lane.client, feed.url, settings=self.settings,
                    etag=feed.etag, last_modified=feed.last_modified,
                )  # fmt: skip
            except FetchError as exc:
                fetched.error = str(exc)
            except Exception as exc:  # one feed's surprise must not end the round for the rest
                log.exception("fetching feed %s failed unexpectedly", feed.id)
                fetched.error = redact(f"unexpected error: {type(exc).__name__}: {exc}")
        await queue.put(fetched)

    async def _polite(self, host: str) -> bool:
        """Wait this host's turn: one request start per `host_gap_s`; False if stopped meanwhile."""
        gap = self.settings.polling.host_gap_s
        if gap <= 0:
            return True
        now = asyncio.get_running_loop().time()
        # Turns are handed out before any wait, so feeds of one host queue in order; a feed
        # waiting its turn holds no slot.
        start = max(now, self._host_turn.get(host, now))
        self._host_turn[host] = start + gap
        if start > now:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), timeout=start - now)
        return not self.stop.is_set()

    async def _drain(self, queue: asyncio.Queue[Fetched | None]) -> RoundStats:
        stats, done = RoundStats(), False
        while not done:
            batch = []
            item = await queue.get()
            while item is not None:
                batch.append(item)
                if len(batch) >= self.settings.polling.batch_size or queue.empty():
                    break
                item = queue.get_nowait()
            done = item is None
            if batch:
                # Parsing, the database and Kafka acks block: keep them off the event loop.
                outcomes = await asyncio.to_thread(self.handler.handle, batch)
                stats.polled += len(batch)
                stats.failed += sum(1 for out in outcomes.values() if not out.ok)
                stats.produced += sum(out.produced for out in outcomes.values())
        return stats
