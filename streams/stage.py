"""Run an agent's stream in batches that are acknowledged only once they were handled.

`Stage.run` takes batches with `noack_take` and acks them after `handle` returned, so a batch
that raised is never committed: Kafka hands it out again after a restart. Errors that are about
the world (`transient`: the database, the broker or the network away) are retried with backoff,
as long as they last; any other error means one message in the batch is poison: the batch is
re-run one message at a time, and the message that still fails goes to `dead-letters` with the
error. `Stage.decode` turns a batch into typed records and dead-letters what is not one.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

import faust
from aiokafka.errors import KafkaError
from sqlalchemy.exc import DisconnectionError, InterfaceError, OperationalError

from monitor.settings import Settings
from streams.app import Topics, metrics_of
from streams.records import DeadLetter, DecodeError, R, decode, encode

log = logging.getLogger(__name__)

# Errors about the world, not the message: retried for as long as they last. Any other OSError
# (PermissionError, FileNotFoundError, IsADirectoryError…) is about what the message made the
# stage do, and retrying it would stall the partition forever: it is poison.
TRANSIENT = (OperationalError, InterfaceError, DisconnectionError, KafkaError, ConnectionError,
             TimeoutError, socket.gaierror, socket.herror)  # fmt: skip
NETWORK_ERRNOS = frozenset({
    errno.ENETDOWN, errno.ENETUNREACH, errno.ENETRESET, errno.EHOSTDOWN, errno.EHOSTUNREACH,
    errno.ECONNABORTED, errno.ECONNRESET, errno.ECONNREFUSED, errno.ETIMEDOUT, errno.ENOTCONN,
    errno.EPIPE, errno.EADDRNOTAVAIL,
})  # fmt: skip
PAYLOAD_LIMIT = 100_000  # characters of a dead message kept in its letter
Handle = Callable[[Sequence[faust.EventT]], Awaitable[None]]


def letter(stage: str, error: str, event: faust.EventT | None = None, payload: Any = None):
    """Return the dead letter for `event` (or a bare payload) failing at `stage`."""
    message = event.message if event is not None else None
    raw = message.value if message is not None else payload
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    elif raw is not None and not isinstance(raw, str):
        raw = repr(raw)
    key = message.key if message is not None else None
    return DeadLetter(
        stage=stage,
        error=error[:2000],
        payload=raw[:PAYLOAD_LIMIT] if raw is not None else None,
        topic=message.topic if message is not None else None,
        partition=message.partition if message is not None else None,
        offset=message.offset if message is not None else None,
        key=key.decode("utf-8", errors="replace") if isinstance(key, bytes) else key,
        at=datetime.now(UTC).isoformat(),
    )


def transient(exc: BaseException) -> bool:
    """Return whether `exc` says the database, the broker or the network is away."""
    if isinstance(exc, TRANSIENT):
        return True
    # A socket error raised as a bare OSError (no subclass for its errno) still names it.
    return isinstance(exc, OSError) and exc.errno in NETWORK_ERRNOS


class Stage:
    """One agent's plumbing: batches, acks, retries, dead letters and its latency metric."""

    def __init__(self, name: str, app: faust.App, topics: Topics, settings: Settings) -> None:
        self.name = name
        self.app = app
        self.topics = topics
        self.settings = settings
        self.metrics = metrics_of(app)

    async def dead_letter(self, error: str, event: faust.EventT | None = None, **kw: Any) -> None:
        """Send a dead letter for `event` and count it."""
        dead = letter(self.name, error, event, kw.get("payload"))
        key = dead.key or ""
        await self.topics.dead_letters.send(key=key, value=encode(dead))
        self.metrics.dead_letters.labels(self.name).inc()
        log.warning("%s: dead letter (%s)", self.name, error)

    async def decode(
        self, events: Sequence[faust.EventT], record: type[R]
    ) -> list[tuple[faust.EventT, R]]:
        """Return each event with its value as `record`; dead-letter the values that are not."""
        decoded = []
        for event in events:
            try:
                decoded.append((event, decode(event.value, record)))
            except DecodeError as exc:
                await self.dead_letter(str(exc), event)
        return decoded

    async def run(self, stream: Any, handle: Handle) -> None:
        """Handle the stream batch by batch; ack a batch only when it was handled."""
        size, within = self.settings.streams.batch_size, self.settings.streams.batch_within_s
        latency = self.metrics.latency.labels(self.name)
        async for events in stream.noack_take(size, within=within):
            with latency.time():
                await self.process(events, handle)
            for event in events:
                await stream.ack(event)

    async def process(self, events: Sequence[faust.EventT], handle: Handle) -> None:
        """Handle a batch; isolate and dead-letter a poison message when there is one."""
        error = await self._attempt(events, handle)
        if error is None:
            return
        log.warning("%s: a batch of %d failed (%s); retrying one by one",
                    self.name, len(events), error)  # fmt: skip
        for event in events:
            error = await self._attempt([event], handle)
            if error is not None:
                await self.dead_letter(error, event)

    async def _attempt(self, events: Sequence[faust.EventT], handle: Handle) -> str | None:
        """Run `handle` until it succeeds (None) or fails for a reason other than the world."""
        failures = 0
        while True:
            try:
                await handle(events)
                if failures:
                    log.warning("%s: recovered after %d failed attempts", self.name, failures)
                return None
            except Exception as exc:
                if not transient(exc):
                    log.debug("%s: handling failed", self.name, exc_info=True)
                    return f"{type(exc).__name__}: {_one_line(exc)}"
                failures += 1
                wait = min(30.0, 0.5 * 2 ** min(failures, 6))
                if failures == 1 or failures % 10 == 0:
                    log.warning("%s: %s; retrying in %.0fs (batch not acknowledged)",
                                self.name, _one_line(exc), wait)  # fmt: skip
                await asyncio.sleep(wait)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:500] if text else type(exc).__name__
