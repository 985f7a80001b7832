"""`/alerts`: a buyer's own alerts (admin: all, or one buyer's); acknowledge; false alarm; SSE."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

from monitor import db
from monitor.alerts import service as alerts
from monitor.alerts.models import AlertPublic, AlertStatus
from monitor.api.deps import (
    AdminOrBuyer,
    BuyerQuery,
    Id,
    Page,
    PageDep,
    SessionDep,
    SettingsDep,
    own_buyer,
)
from monitor.api.errors import AUTH, responses

router = APIRouter(prefix="/alerts", tags=["alerts"], responses=AUTH)
NOT_FOUND = responses(404)


@router.get("", response_model=Page[AlertPublic], responses=NOT_FOUND)
def list_alerts(
    session: SessionDep,
    page: PageDep,
    who: AdminOrBuyer,
    buyer_id: BuyerQuery = None,
    status: AlertStatus | None = None,
    since: Annotated[datetime | None, Query(description="created at or after (ISO 8601)")] = None,
) -> Page[AlertPublic]:
    """Alerts, newest first: a buyer key gets its own; an admin all, or `buyer_id`'s."""
    rows, total = alerts.list_alerts(
        session=session, buyer_id=own_buyer(who, buyer_id), status=status, since=since,
        limit=page.limit, offset=page.offset,
    )  # fmt: skip
    return Page(items=[AlertPublic.model_validate(a) for a in rows], total=total)


@router.get(
    "/stream",
    response_class=StreamingResponse,
    responses={
        200: {"content": {"text/event-stream": {}}, "description": "alerts as SSE"},
        **NOT_FOUND,
    },
)
async def stream(
    request: Request,
    settings: SettingsDep,
    who: AdminOrBuyer,
    buyer_id: BuyerQuery = None,
    last_event_id: Annotated[str | None, Header(description="resume after this alert id")] = None,
) -> StreamingResponse:
    """New alerts as Server-Sent Events (`event: alert`, `id:` the alert id), with heartbeats."""
    scope = own_buyer(who, buyer_id)
    engine = db.get_engine(settings)
    after = int(last_event_id) if last_event_id and last_event_id.isdigit() else None
    if after is None:
        after = await run_in_threadpool(_last_id, engine, scope)
    events = alert_events(
        engine=engine, buyer_id=scope, after_id=after, poll_s=settings.api.stream_poll_s,
        heartbeat_s=settings.api.stream_heartbeat_s, stop=request.is_disconnected,
    )  # fmt: skip
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return StreamingResponse(events, media_type="text/event-stream", headers=headers)


def _last_id(engine: Engine, buyer_id: int | None) -> int:
    with Session(engine) as session:
        return alerts.last_id(session=session, buyer_id=buyer_id)


def _new_alerts(engine: Engine, after_id: int, buyer_id: int | None) -> list[tuple[int, str]]:
    with Session(engine) as session:
        rows = alerts.alerts_after(session=session, after_id=after_id, buyer_id=buyer_id)
        return [
            (a.id or 0, json.dumps(AlertPublic.model_validate(a).model_dump(mode="json")))
            for a in rows
        ]


async def alert_events(
    *,
    engine: Engine,
    buyer_id: int | None,
    after_id: int,
    poll_s: float,
    heartbeat_s: float,
    stop: Callable[[], Awaitable[bool]],
) -> AsyncIterator[str]:
    """Yield SSE frames for alerts above `after_id`, polling the database (works across
    processes: whichever worker wrote the alert), and a comment line every `heartbeat_s`."""
    yield "retry: 3000\n: connected\n\n"
    beat = time.monotonic()
    while not await stop():
        for alert_id, data in await run_in_threadpool(_new_alerts, engine, after_id, buyer_id):
            yield f"id: {alert_id}\nevent: alert\ndata: {data}\n\n"
            after_id = alert_id
        if time.monotonic() - beat >= heartbeat_s:
            yield ": heartbeat\n\n"
            beat = time.monotonic()
        await asyncio.sleep(poll_s)


@router.get("/{alert_id}", response_model=AlertPublic, responses=NOT_FOUND)
def get_alert(alert_id: Id, session: SessionDep, who: AdminOrBuyer) -> AlertPublic:
    """One alert, with why it matched, the incident and the suggested suppliers."""
    alert = alerts.get_alert(session=session, alert_id=alert_id, buyer_id=own_buyer(who, None))
    return AlertPublic.model_validate(alert)


def _set(session: Session, who: AdminOrBuyer, alert_id: Id, status: str) -> AlertPublic:
    alert = alerts.set_status(
        session=session, alert_id=alert_id, status=status, buyer_id=own_buyer(who, None)
    )
    session.commit()
    return AlertPublic.model_validate(alert)


@router.post("/{alert_id}/acknowledge", response_model=AlertPublic, responses=NOT_FOUND)
def acknowledge(alert_id: Id, session: SessionDep, who: AdminOrBuyer) -> AlertPublic:
    """Mark an alert acknowledged."""
    return _set(session, who, alert_id, "acknowledged")


@router.post("/{alert_id}/false-alarm", response_model=AlertPublic, responses=NOT_FOUND)
def false_alarm(alert_id: Id, session: SessionDep, who: AdminOrBuyer) -> AlertPublic:
    """Mark an alert a false alarm; counted against its feeds and its watch."""
    return _set(session, who, alert_id, "false_alarm")
