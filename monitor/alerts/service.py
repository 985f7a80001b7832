"""The alerts service: a buyer's inbox, acknowledging, false alarms and what is new."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy import ColumnElement
from sqlmodel import Session, col, func, select

from monitor.alerts.models import Alert
from monitor.columns import utcnow
from monitor.owned import get_owned


def _where(
    buyer_id: int | None, status: str | None, since: datetime | None
) -> list[ColumnElement[bool]]:
    clauses = []
    if buyer_id is not None:
        clauses.append(col(Alert.buyer_id) == buyer_id)
    if status is not None:
        clauses.append(col(Alert.status) == status)
    if since is not None:
        clauses.append(col(Alert.created_at) >= since)
    return clauses


def list_alerts(
    *,
    session: Session,
    buyer_id: int | None,
    status: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Alert], int]:
    """Return a page of alerts, newest first (one buyer's, or everyone's), and the total."""
    where = _where(buyer_id, status, since)
    rows = session.exec(
        select(Alert).where(*where).order_by(col(Alert.id).desc()).offset(offset).limit(limit)
    ).all()
    total = session.exec(select(func.count()).select_from(Alert).where(*where)).one()
    return list(rows), total


def get_alert(*, session: Session, alert_id: int, buyer_id: int | None = None) -> Alert:
    """Return one alert; with `buyer_id`, only one of that buyer's."""
    return get_owned(session=session, model=Alert, row_id=alert_id, buyer_id=buyer_id, noun="alert")


def set_status(
    *, session: Session, alert_id: int, status: str, buyer_id: int | None = None
) -> Alert:
    """Mark an alert acknowledged or a false alarm; with `buyer_id`, only that buyer's."""
    alert = get_alert(session=session, alert_id=alert_id, buyer_id=buyer_id)
    alert.status = status
    alert.acknowledged_at = alert.acknowledged_at or utcnow()
    session.add(alert)
    session.flush()
    return alert


def alerts_after(
    *, session: Session, after_id: int, buyer_id: int | None, limit: int = 100
) -> list[Alert]:
    """Return alerts with an id above `after_id`, oldest first (what a stream sends next)."""
    where = [col(Alert.id) > after_id, *_where(buyer_id, None, None)]
    return list(session.exec(select(Alert).where(*where).order_by(col(Alert.id)).limit(limit)))


def last_id(*, session: Session, buyer_id: int | None) -> int:
    """Return the highest alert id (of one buyer, or of all), 0 when there is none."""
    where = _where(buyer_id, None, None)
    return session.exec(select(func.max(Alert.id)).where(*where)).one() or 0


def false_alarms_by_watch(*, session: Session) -> Counter[int]:
    """Return how many alerts each watch (rule) raised that were marked false alarms."""
    rows = session.exec(
        select(Alert.watch_id, func.count())
        .where(col(Alert.status) == "false_alarm", col(Alert.watch_id).is_not(None))
        .group_by(col(Alert.watch_id))
    ).all()
    return Counter({watch_id: n for watch_id, n in rows if watch_id is not None})
