"""Incidents: one real-world disruption, clustered from the items that report it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlmodel import Field, SQLModel

from monitor.columns import json_list, utcnow

INCIDENT_STATUSES = ("open", "closed", "expired")
IncidentStatus = Literal["open", "closed", "expired"]


class IncidentBase(SQLModel):
    title: str = Field(max_length=500)
    event_type: str = Field(max_length=32, index=True)
    severity: str = Field(max_length=16, index=True)
    status: str = Field(
        default="open", max_length=16, index=True, description="open, closed, expired"
    )
    version: int = Field(default=1, ge=1, description="bumped on every material change")
    lat: float | None = None
    lon: float | None = None
    confidence: float = 0.0
    first_seen: datetime = Field(default_factory=utcnow, index=True)
    last_seen: datetime = Field(default_factory=utcnow, index=True)
    closed_at: datetime | None = None


class Incident(IncidentBase, table=True):
    __tablename__ = "incidents"

    id: str = Field(primary_key=True, max_length=64)
    cluster_key: str = Field(default="", max_length=200, index=True)
    countries: list[str] = json_list()
    materials: list[dict[str, Any]] = json_list()
    impacts: list[dict[str, Any]] = json_list(
        description="what happened to supply: [{type, evidence}], one per type"
    )
    places: list[dict[str, Any]] = json_list()
    area: list[dict[str, Any]] = json_list(
        description="the ground its feeds say it covers: polygon, circle and bbox shapes"
    )
    routine: bool = Field(default=False, description="only routine weather warnings report it")
    sources: list[dict[str, Any]] = json_list(
        description="its first and latest sources: item_id, url, title, published, feed_id"
    )
    source_count: int = Field(default=0, description="every report of it (incident_sources)")
    evidence: list[dict[str, Any]] = json_list()
    updated_at: datetime = Field(default_factory=utcnow)


class IncidentSource(SQLModel, table=True):
    """One report of an incident: every source is kept here, however many there are."""

    __tablename__ = "incident_sources"

    incident_id: str = Field(primary_key=True, max_length=64, foreign_key="incidents.id")
    item_id: str = Field(primary_key=True)
    url: str | None = None
    title: str | None = None
    published: datetime = Field(index=True)
    feed_id: int | None = None


class IncidentPublic(IncidentBase):
    id: str
    countries: list[str]
    materials: list[dict[str, Any]]
    impacts: list[dict[str, Any]] = []
    places: list[dict[str, Any]]
    area: list[dict[str, Any]] = []
    routine: bool = False
    sources: list[dict[str, Any]]
    source_count: int = 0
    evidence: list[dict[str, Any]]


def incident_document(incident: Incident) -> dict[str, Any]:
    """Return the incident as docs/design.md's JSON shape (what alerts and webhooks embed)."""
    return IncidentPublic.model_validate(incident).model_dump(mode="json")


__all__ = [
    "INCIDENT_STATUSES",
    "Incident",
    "IncidentPublic",
    "IncidentSource",
    "IncidentStatus",
    "incident_document",
]
