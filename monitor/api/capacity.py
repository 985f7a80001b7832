"""Bounds on what callers hold: open streams per key and in all, and database connections.

Beyond a bound the answer says when to come back (`Retry-After`): 429 when one key holds too
many streams (that caller's doing), 503 when the server as a whole is full.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import Counter
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, StreamingResponse
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.types import Receive, Scope, Send

from monitor.api.errors import ErrorBody

log = logging.getLogger(__name__)
RETRY_AFTER_S = 5  # a stream or a pooled connection is usually free again within seconds
BUSY: dict[int | str, dict[str, object]] = {
    429: {"model": ErrorBody, "description": "the key holds too many streams (see Retry-After)"},
    503: {"model": ErrorBody, "description": "the server is full (see Retry-After)"},
}


def _retry(status: int, detail: str) -> HTTPException:
    return HTTPException(status, detail, headers={"Retry-After": str(RETRY_AFTER_S)})


class Busy(HTTPException):
    """No database connection came free in time: 503 with Retry-After."""

    def __init__(self) -> None:
        super().__init__(
            503, "the server is busy: no database connection is free",
            headers={"Retry-After": str(RETRY_AFTER_S)},
        )  # fmt: skip


class ConnectionGate:
    """Admit at most as many database users at once as the pool has connections.

    Requests wait here, on the event loop. Were they to wait in the pool, each would block a
    worker thread, while the requests holding connections need a thread for their next step
    (a request hops threads between its key check, its route and its cleanup): all would then
    sit out the pool timeout, and answer 500.
    """

    def __init__(self, *, permits: int, timeout_s: float) -> None:
        self.permits, self.timeout_s = permits, timeout_s
        # One semaphore per event loop: tests run one app on several loops, one at a time.
        self._free: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore]
        self._free = weakref.WeakKeyDictionary()

    @asynccontextmanager
    async def held(self) -> AsyncIterator[None]:
        """Hold one connection's place; raise `Busy` when none comes free in `timeout_s`."""
        free = self._free.setdefault(asyncio.get_running_loop(), asyncio.Semaphore(self.permits))
        try:
            async with asyncio.timeout(self.timeout_s):
                await free.acquire()
        except TimeoutError:
            raise Busy() from None
        try:
            yield
        finally:
            free.release()


class Slot:
    """One open stream's place; given back once, however the stream ends."""

    def __init__(self, slots: StreamSlots, key_id: int) -> None:
        self._slots, self._key_id, self._held = slots, key_id, True

    def release(self) -> None:
        """Give the place back (again is a no-op)."""
        if self._held:
            self._held = False
            self._slots.give_back(self._key_id)


class StreamSlots:
    """Count open streams per key and in all; refuse one beyond either cap.

    Taken and given back on the event loop only, so the counts need no lock.
    """

    def __init__(self, *, per_key: int, total: int) -> None:
        self.per_key, self.total = per_key, total
        self._open: Counter[int] = Counter()

    def take(self, key_id: int) -> Slot:
        """Return a slot for one more stream of `key_id`; 429 or 503 when there is none."""
        if self._open[key_id] >= self.per_key:
            raise _retry(429, f"this key already has {self.per_key} open streams")
        if self._open.total() >= self.total:
            raise _retry(503, "too many open streams: retry later")
        self._open[key_id] += 1
        return Slot(self, key_id)

    def give_back(self, key_id: int) -> None:
        """Count one stream of `key_id` closed."""
        self._open[key_id] -= 1
        if self._open[key_id] <= 0:
            del self._open[key_id]

    def open_streams(self) -> int:
        """Return how many streams are open."""
        return self._open.total()


class SlotStreamingResponse(StreamingResponse):
    """A streaming response that gives its slot back when it ends, even before it starts."""

    def __init__(self, content: Any, *, slot: Slot, **kwargs: Any) -> None:
        super().__init__(content, **kwargs)
        self.slot = slot

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            self.slot.release()


def install(app: FastAPI) -> None:
    """Answer a request that found no free database connection 503 with Retry-After
    (the gate makes that rare: a connection taken outside it, as by /health)."""

    @app.exception_handler(PoolTimeout)
    async def _pool_full(_r: Request, exc: PoolTimeout) -> JSONResponse:
        log.warning("no free database connection: %s", str(exc).splitlines()[0])
        return JSONResponse(
            {"detail": "the server is busy: no database connection is free"},
            status_code=503, headers={"Retry-After": str(RETRY_AFTER_S)},
        )  # fmt: skip
