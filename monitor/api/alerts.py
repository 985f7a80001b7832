"""`/alerts`: a buyer's own alerts (admin: all, or one buyer's); acknowledge; false alarm; SSE."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Body, Header, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session

from monitor import db
from monitor.alerts import service as alerts
from monitor.alerts.models import AlertPublic, AlertStatus
from monitor.api.alert_stream import alert_events, in_thread, last_alert_id, stop_when
from monitor.api.capacity import BUSY, ConnectionGate, SlotStreamingResponse, StreamSlots
from monitor.api.deps import (
    AdminOrBuyer,
    BuyerQuery,
    Id,
    Page,
    PageDep,
    SessionDep,
    SettingsDep,
    StreamingAdminOrBuyer,
    own_buyer,
)
from monitor.api.errors import AUTH, responses
from monitor.errors import NotFound
from monitor.feedback import service as feedback
from monitor.feedback.models import AlertFeedbackPublic, FalseAlarmReport

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
        **BUSY,
    },
)
async def stream(
    request: Request,
    settings: SettingsDep,
    who: StreamingAdminOrBuyer,
    buyer_id: BuyerQuery = None,
    last_event_id: Annotated[str | None, Header(description="resume after this alert id")] = None,
) -> StreamingResponse:
    """New alerts as Server-Sent Events (`event: alert`, `id:` the alert id), with heartbeats.

    A key may hold `MONITOR_API_STREAM_MAX_PER_KEY` streams (429 beyond), the server
    `MONITOR_API_STREAM_MAX` (503 beyond); a revoked key's stream ends within
    `MONITOR_API_STREAM_KEY_CHECK_S`."""
    scope = own_buyer(who, buyer_id)
    slots: StreamSlots = request.app.state.stream_slots
    gate: ConnectionGate = request.app.state.db_gate
    slot = slots.take(who.key_id)
    try:
        engine = db.get_engine(settings)
        mark = last_event_id or ""
        after = int(mark) if mark.isdigit() and len(mark) <= 18 else None
        if after is None:
            after = await in_thread(gate, last_alert_id, engine, scope)
        stop = stop_when(
            disconnected=request.is_disconnected, engine=engine, key_id=who.key_id,
            check_every_s=settings.api.stream_key_check_s, gate=gate,
        )  # fmt: skip
        events = alert_events(
            engine=engine, buyer_id=scope, after_id=after, poll_s=settings.api.stream_poll_s,
            heartbeat_s=settings.api.stream_heartbeat_s, stop=stop, gate=gate,
        )  # fmt: skip
    except BaseException:
        slot.release()
        raise
    headers = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
    return SlotStreamingResponse(events, slot=slot, media_type="text/event-stream", headers=headers)


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
def false_alarm(
    alert_id: Id,
    session: SessionDep,
    who: AdminOrBuyer,
    report: Annotated[FalseAlarmReport | None, Body()] = None,
) -> AlertPublic:
    """Mark an alert a false alarm, with a reason and a note; counted against its feeds and
    its watch. Without a body the reason is `other` (what calls before reasons existed mean);
    marking it again replaces the reason and note."""
    alert = feedback.mark_false_alarm(
        session=session, alert_id=alert_id, report=report or FalseAlarmReport(),
        buyer_id=own_buyer(who, None),
    )  # fmt: skip
    session.commit()
    return AlertPublic.model_validate(alert)


@router.get("/{alert_id}/feedback", response_model=AlertFeedbackPublic, responses=NOT_FOUND)
def get_feedback(alert_id: Id, session: SessionDep, who: AdminOrBuyer) -> AlertFeedbackPublic:
    """Why the alert was marked a false alarm, with the buyer's note (the buyer and admins)."""
    row = feedback.get_feedback(session=session, alert_id=alert_id, buyer_id=own_buyer(who, None))
    if row is None:
        raise NotFound(f"alert {alert_id} was not marked a false alarm")
    return AlertFeedbackPublic.model_validate(row)
