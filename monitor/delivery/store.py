"""Store alert messages once per (buyer, incident, version), with a delivery per channel."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from monitor.alerts.models import ALERT_KINDS, DELIVERY_STATUSES
from monitor.buyers.destinations import kinds
from monitor.columns import utcnow
from monitor.delivery.schedule import first_attempt
from monitor.models import Alert, Buyer, Delivery

log = logging.getLogger(__name__)


def save_alert(session: Session, alert: dict[str, Any]) -> Alert | None:
    """Store an alert message and its pending deliveries; None if that version is stored."""
    row = alert_row(alert)
    if _stored(session, row):
        return None
    buyer = session.get(Buyer, row.buyer_id)
    if buyer is None:
        log.warning(
            "alert for unknown buyer %s (incident %s) dropped", row.buyer_id, row.incident_id
        )
        return None
    due = first_attempt(buyer.digest_minutes, utcnow())
    try:
        # A savepoint, so losing a race to another worker leaves the caller's transaction usable.
        with session.begin_nested():
            session.add(row)
            session.flush()
            assert row.id is not None
            for channel in channels(session, buyer):
                session.add(Delivery(alert_id=row.id, channel=channel, next_attempt_at=due))
            session.flush()
    except IntegrityError:
        return None
    return row


def alert_row(message: dict[str, Any]) -> Alert:
    """Return the Alert row for an alert message (DESIGN.md's alert JSON); ValueError if bad."""
    incident = message.get("incident")
    if not isinstance(incident, dict):
        raise ValueError("alert message has no incident object")
    buyer_id = message.get("buyer_id")
    incident_id = message.get("incident_id") or incident.get("id")
    version = message.get("incident_version", incident.get("version", 1))
    kind = message.get("kind") or "new"
    severity = message.get("severity") or incident.get("severity")
    if not isinstance(buyer_id, int) or isinstance(buyer_id, bool):
        raise ValueError(f"alert message has no integer buyer_id: {buyer_id!r}")
    if not isinstance(incident_id, str) or not incident_id:
        raise ValueError("alert message has no incident_id")
    if not isinstance(version, int) or version < 1:
        raise ValueError(f"alert message has a bad incident version: {version!r}")
    if kind not in ALERT_KINDS:
        raise ValueError(f"alert kind {kind!r} is not one of {', '.join(ALERT_KINDS)}")
    if not isinstance(severity, str):
        raise ValueError("alert message has no severity")
    sources = incident.get("sources") or []
    feed_ids = {s.get("feed_id") for s in sources if isinstance(s, dict)}
    return Alert(
        buyer_id=buyer_id,
        incident_id=incident_id[:64],
        incident_version=version,
        watch_id=message.get("watch_id") if isinstance(message.get("watch_id"), int) else None,
        kind=kind,
        severity=severity[:16],
        why=why if isinstance(why := message.get("why"), dict) else {},
        suggestions=[s for s in message.get("suggestions") or [] if isinstance(s, dict)],
        incident=incident,
        feed_ids=sorted(f for f in feed_ids if isinstance(f, int)),
    )


def channels(session: Session, buyer: Buyer) -> list[str]:
    """Return the channels a buyer is reached on: webhook, e-mail, then its chat destinations."""
    own = [
        name for name, target in (("webhook", buyer.webhook_url), ("email", buyer.email)) if target
    ]
    assert buyer.id is not None
    return own + sorted(kinds(session=session, buyer_id=buyer.id))


def delivery_counts(session: Session, *, buyer_id: int | None = None) -> dict[str, int]:
    """Count deliveries by status (pending, delivered, failed, gave_up), for one buyer or all."""
    stmt = select(Delivery.status, func.count()).group_by(Delivery.status)
    if buyer_id is not None:
        stmt = stmt.join(Alert, col(Delivery.alert_id) == col(Alert.id)).where(
            Alert.buyer_id == buyer_id
        )
    counts = dict.fromkeys(DELIVERY_STATUSES, 0)
    counts.update({status: n for status, n in session.exec(stmt).all()})
    return counts


def list_deliveries(
    *,
    session: Session,
    buyer_id: int | None = None,
    alert_id: int | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Delivery], int]:
    """Return a page of deliveries, newest first (one buyer's, one alert's, or all), and total."""
    where = []
    if buyer_id is not None:
        where.append(col(Alert.buyer_id) == buyer_id)
    if alert_id is not None:
        where.append(col(Delivery.alert_id) == alert_id)
    if status is not None:
        where.append(col(Delivery.status) == status)
    base = select(Delivery).join(Alert, col(Delivery.alert_id) == col(Alert.id)).where(*where)
    rows = session.exec(base.order_by(col(Delivery.id).desc()).offset(offset).limit(limit)).all()
    total = session.exec(select(func.count()).select_from(base.subquery())).one()
    return list(rows), total


def _stored(session: Session, row: Alert) -> bool:
    stmt = select(Alert.id).where(
        Alert.buyer_id == row.buyer_id,
        Alert.incident_id == row.incident_id,
        Alert.incident_version == row.incident_version,
    )
    return session.exec(stmt).first() is not None
