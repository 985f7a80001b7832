"""Store alerts from the stream: one row per (buyer, incident, version), replays ignored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from monitor.models import Alert, Buyer


def save_alert(session: Session, alert: Mapping[str, Any]) -> Alert | None:
    """Insert the alert; return None when that buyer, incident and version already has one."""
    buyer_id, incident_id = int(alert["buyer_id"]), str(alert["incident_id"])
    version = int(alert.get("incident_version") or 1)
    existing = session.exec(
        select(Alert.id).where(
            Alert.buyer_id == buyer_id,
            Alert.incident_id == incident_id,
            Alert.incident_version == version,
        )
    ).first()
    if existing is not None or session.get(Buyer, buyer_id) is None:
        return None  # a replay, or a buyer deleted since the match
    row = Alert(
        buyer_id=buyer_id,
        incident_id=incident_id,
        incident_version=version,
        watch_id=alert.get("watch_id"),
        kind=str(alert.get("kind") or "new"),
        severity=str(alert.get("severity") or "low"),
        why=dict(alert.get("why") or {}),
        suggestions=list(alert.get("suggestions") or []),
        incident=dict(alert.get("incident") or {}),
        feed_ids=[int(f) for f in alert.get("feed_ids") or [] if isinstance(f, int)],
    )
    try:
        with session.begin_nested():  # a concurrent insert of the same key loses quietly
            session.add(row)
    except IntegrityError:
        return None
    return row
