"""Incidents: one real-world disruption, clustered from the items that report it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from monitor.models._types import json_dict, json_list, utcnow


class IncidentBase(SQLModel):
    title: str = Field(max_length=500)
    event_type: str = Field(max_length=32, index=True)
    severity: str = Field(max_length=16, index=True)
    recovery: bool = False
    lat: float | None = None
    lon: float | None = None


class Incident(IncidentBase, table=True):
    __tablename__ = "incidents"

    id: str = Field(primary_key=True, max_length=64)
    countries: list[str] = json_list()
    materials: list[dict[str, Any]] = json_list()
    places: list[dict[str, Any]] = json_list()
    sources: list[dict[str, Any]] = json_list(description="items that reported it: id, url, title")
    evidence: dict[str, Any] = json_dict()
    confidence: float = 0.0
    status: str = Field(default="active", max_length=16, index=True)
    first_seen: datetime = Field(default_factory=utcnow, index=True)
    last_seen: datetime = Field(default_factory=utcnow)
