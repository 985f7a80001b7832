"""The incidents service: filter and read incidents (the stream worker writes them)."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, String, cast, or_
from sqlmodel import Session, col, func, select

from monitor.errors import InvalidInput, NotFound
from monitor.incidents.models import Incident, IncidentSource
from monitor.vocab import IMPACTS, SEVERITIES, require_material, severity_rank


def _contains(column: Any, fragment: str) -> ColumnElement[bool]:
    # JSON lists are stored as text in both SQLite and PostgreSQL (`json`, not `jsonb`), so a
    # quoted element is found with LIKE on every backend; values are validated before this.
    return cast(column, String).like(f"%{fragment}%")


def list_incidents(
    *,
    session: Session,
    status: str | None = None,
    event_type: str | None = None,
    country: str | None = None,
    material: str | None = None,
    impact: str | None = None,
    severity: str | None = None,
    since: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Incident], int]:
    """Return a page of incidents seen most recently first, and how many match.

    `country` is ISO 3166-1 alpha-2 in either case; `material` a name, synonym or HS heading
    (InvalidInput when unknown); `impact` one of monitor.vocab.IMPACTS (port_closure…);
    `severity` is a floor (high: high and critical); `since` compares with `last_seen`.
    """
    where = []
    if status:
        where.append(col(Incident.status) == status)
    if event_type:
        where.append(col(Incident.event_type) == event_type)
    if country:
        where.append(_contains(Incident.countries, json.dumps(country.upper())))
    if material:
        # rows written by the json module have a space after ':'
        name = json.dumps(require_material(material))
        where.append(
            or_(_contains(Incident.materials, f'"name":{name}'),
                _contains(Incident.materials, f'"name": {name}'))
        )  # fmt: skip
    if impact:
        if impact not in IMPACTS:
            raise InvalidInput("impact", f"unknown impact; one of {', '.join(IMPACTS)}")
        kind = json.dumps(impact)
        where.append(
            or_(_contains(Incident.impacts, f'"type":{kind}'),
                _contains(Incident.impacts, f'"type": {kind}'))
        )  # fmt: skip
    if severity:
        floor = severity_rank(severity)
        where.append(
            col(Incident.severity).in_([s for s in SEVERITIES if severity_rank(s) >= floor])
        )
    if since:
        where.append(col(Incident.last_seen) >= since)
    rows = session.exec(
        select(Incident).where(*where).order_by(col(Incident.last_seen).desc(), col(Incident.id))
        .offset(offset).limit(limit)
    ).all()  # fmt: skip
    total = session.exec(select(func.count()).select_from(Incident).where(*where)).one()
    return list(rows), total


def get_incident(*, session: Session, incident_id: str) -> Incident:
    """Return one incident with its sources and evidence."""
    incident = session.get(Incident, incident_id)
    if incident is None:
        raise NotFound(f"no incident with id {incident_id}")
    return incident


def list_sources(
    *, session: Session, incident_id: str, limit: int = 50, offset: int = 0
) -> tuple[list[IncidentSource], int]:
    """Return a page of every report of an incident, earliest published first, and the count."""
    get_incident(session=session, incident_id=incident_id)
    where = col(IncidentSource.incident_id) == incident_id
    rows = session.exec(
        select(IncidentSource).where(where)
        .order_by(col(IncidentSource.published), col(IncidentSource.item_id))
        .offset(offset).limit(limit)
    ).all()  # fmt: skip
    total = session.exec(select(func.count()).select_from(IncidentSource).where(where)).one()
    return list(rows), total
