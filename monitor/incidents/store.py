"""Persist incidents from the stream: upsert by id, never going back to an older version."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, select

from monitor.columns import utcnow
from monitor.incidents.cluster import parse_time, source_count
from monitor.incidents.models import Incident, IncidentSource

COPIED = ("title", "event_type", "severity", "status", "version", "confidence", "cluster_key",
          "countries", "materials", "places", "sources", "evidence")  # fmt: skip


def to_row(incident: Mapping[str, Any], row: Incident | None = None) -> Incident:
    """Return an Incident row holding the stream's incident dict."""
    now = utcnow()
    row = row or Incident(id=str(incident["id"]), title="", event_type="other", severity="low")
    for name in COPIED:
        if name in incident:
            setattr(row, name, incident[name])
    row.impacts = list(incident.get("impacts") or [])  # older states have no impacts, no area
    row.area = list(incident.get("area") or [])
    row.routine = bool(incident.get("routine"))
    row.first_seen = parse_time(incident.get("first_seen"), now)
    row.last_seen = parse_time(incident.get("last_seen"), now)
    row.closed_at = parse_time(incident["closed_at"], now) if incident.get("closed_at") else None
    points = [p for p in incident.get("places") or [] if p.get("lat") is not None]
    if points:
        row.lat, row.lon = points[0]["lat"], points[0]["lon"]
    row.source_count = source_count(incident)
    row.updated_at = now
    return row


def save_incidents(
    session: Session,
    incidents: Iterable[Mapping[str, Any]],
    sources: Iterable[tuple[str, Mapping[str, Any]]] = (),
) -> int:
    """Upsert incidents and add their new (incident id, source) pairs (the caller commits).

    Return how many incident rows were written. A source already stored is left as it is.
    """
    latest: dict[str, Mapping[str, Any]] = {}
    for inc in incidents:  # the last state of each incident in the batch wins
        latest[str(inc["id"])] = inc
    if not latest:
        return 0
    written = _upsert(session, latest)
    session.flush()  # the incident rows exist before their sources point at them
    add_sources(session, sources)
    return written


def add_sources(session: Session, sources: Iterable[tuple[str, Mapping[str, Any]]]) -> None:
    """Insert incident sources, skipping the (incident id, item id) pairs already stored."""
    now = utcnow()
    rows = {
        (incident_id, str(s["item_id"])): {
            "incident_id": incident_id,
            "item_id": str(s["item_id"]),
            "url": s.get("url"),
            "title": s.get("title"),
            "published": parse_time(s.get("published"), now),
            "feed_id": s.get("feed_id") if isinstance(s.get("feed_id"), int) else None,
        }
        for incident_id, s in sources
    }
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(IncidentSource).on_conflict_do_nothing(index_elements=["incident_id", "item_id"])
    session.execute(stmt, list(rows.values()))


def _upsert(session: Session, latest: Mapping[str, Mapping[str, Any]]) -> int:
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
