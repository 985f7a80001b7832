"""Persist incidents from the stream: upsert by id, never going back to an older version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session, col, select

from monitor.incidents.cluster import parse_time
from monitor.models import Incident
from monitor.models._types import utcnow

COPIED = ("title", "event_type", "severity", "status", "version", "confidence", "cluster_key",
          "countries", "materials", "places", "sources", "evidence")  # fmt: skip


def to_row(incident: Mapping[str, Any], row: Incident | None = None) -> Incident:
    """Return an Incident row holding the stream's incident dict."""
    now = utcnow()
    row = row or Incident(id=str(incident["id"]), title="", event_type="other", severity="low")
    for name in COPIED:
        if name in incident:
            setattr(row, name, incident[name])
    row.first_seen = parse_time(incident.get("first_seen"), now)
    row.last_seen = parse_time(incident.get("last_seen"), now)
    row.closed_at = parse_time(incident["closed_at"], now) if incident.get("closed_at") else None
    points = [p for p in incident.get("places") or [] if p.get("lat") is not None]
    if points:
        row.lat, row.lon = points[0]["lat"], points[0]["lon"]
    row.updated_at = now
    return row


def save_incidents(session: Session, incidents: Iterable[Mapping[str, Any]]) -> int:
    """Upsert incidents (the caller commits); return how many rows were written."""
    latest: dict[str, Mapping[str, Any]] = {}
    for inc in incidents:  # the last state of each incident in the batch wins
        latest[str(inc["id"])] = inc
    if not latest:
        return 0
    rows = session.exec(select(Incident).where(col(Incident.id).in_(list(latest)))).all()
    existing = {row.id: row for row in rows}
    written = 0
    for incident_id, inc in latest.items():
        row = existing.get(incident_id)
        if row is not None and row.version > int(inc.get("version") or 1):
            continue  # a replay of an older state: the stored one is newer
        session.add(to_row(inc, row))
        written += 1
    return written
