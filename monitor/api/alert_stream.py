"""The alert stream's frames: new alerts polled from the database, heartbeats, and when to stop.

A stream holds no database connection while it waits: each poll (and each key check) opens a
session of its own in a worker thread and closes it before the next sleep.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from monitor.alerts import service as alerts
from monitor.alerts.models import AlertPublic
from monitor.api.capacity import Busy, ConnectionGate
from monitor.keys import service as apikeys

log = logging.getLogger(__name__)
Stop = Callable[[], Awaitable[bool]]
T = TypeVar("T")
UNAVAILABLE = (Busy, PoolTimeout, OperationalError)  # a poll or key check skipped, not fatal


async def in_thread(gate: ConnectionGate | None, call: Callable[..., T], *args: object) -> T:
    """Run a blocking database call in a worker thread, once `gate` has a connection for it."""
    if gate is None:
        return await run_in_threadpool(call, *args)
    async with gate.held():
        return await run_in_threadpool(call, *args)


def last_alert_id(engine: Engine, buyer_id: int | None) -> int:
    """Return the newest alert id in scope (0 when there is none)."""
    with Session(engine) as session:
        return alerts.last_id(session=session, buyer_id=buyer_id)


def _new_alerts(engine: Engine, after_id: int, buyer_id: int | None) -> list[tuple[int, str]]:
    with Session(engine) as session:
        rows = alerts.alerts_after(session=session, after_id=after_id, buyer_id=buyer_id)
        return [
            (a.id or 0, json.dumps(AlertPublic.model_validate(a).model_dump(mode="json")))
            for a in rows
        ]


def _key_revoked(engine: Engine, key_id: int) -> bool:
    with Session(engine) as session:
        return not apikeys.is_active(session=session, key_id=key_id)


def stop_when(
    *,
    disconnected: Stop,
    engine: Engine,
    key_id: int,
    check_every_s: float,
    gate: ConnectionGate | None = None,
) -> Stop:
    """Return a stop check: the client left, or the key (looked up every `check_every_s`)
    was revoked. A database that cannot answer the look-up does not end the stream."""
    due = time.monotonic() + check_every_s

    async def stop() -> bool:
        nonlocal due
        if await disconnected():
            return True
        if time.monotonic() < due:
            return False
        due = time.monotonic() + check_every_s
        try:
            return await in_thread(gate, _key_revoked, engine, key_id)
        except UNAVAILABLE as exc:
            log.warning("stream key check skipped: %s", str(exc).splitlines()[0])
            return False

    return stop


async def alert_events(
    *,
    engine: Engine,
    buyer_id: int | None,
    after_id: int,
    poll_s: float,
    heartbeat_s: float,
    stop: Stop,
    gate: ConnectionGate | None = None,
) -> AsyncIterator[str]:
    """Yield SSE frames for alerts above `after_id`, polling the database (works across
    processes: whichever worker wrote the alert), and a comment line every `heartbeat_s`."""
    yield "retry: 3000\n: connected\n\n"
    beat = time.monotonic()
    while not await stop():
        try:
            found = await in_thread(gate, _new_alerts, engine, after_id, buyer_id)
        except UNAVAILABLE as exc:  # busy or down: try again next poll
            log.warning("stream poll skipped: %s", str(exc).splitlines()[0])
            found = []
        for alert_id, data in found:
            yield f"id: {alert_id}\nevent: alert\ndata: {data}\n\n"
            after_id = alert_id
        if time.monotonic() - beat >= heartbeat_s:
            yield ": heartbeat\n\n"
            beat = time.monotonic()
        await asyncio.sleep(poll_s)
