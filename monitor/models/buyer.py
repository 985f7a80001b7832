"""Buyers, what they watch, and the alerts they receive."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Field, SQLModel

from monitor.models._types import json_dict, json_list, utcnow

SEVERITIES = ("low", "medium", "high", "critical")


class Buyer(SQLModel, table=True):
    __tablename__ = "buyers"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=300)
    webhook_url: str | None = Field(default=None, max_length=2048)
    created_at: datetime = Field(default_factory=utcnow)


class Watch(SQLModel, table=True):
    """What a buyer depends on: materials from countries, alerted from a minimum severity."""

    __tablename__ = "watches"

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    materials: list[str] = json_list()
    countries: list[str] = json_list()
    min_severity: str = Field(default="medium", max_length=16)
    created_at: datetime = Field(default_factory=utcnow)


class Alert(SQLModel, table=True):
    __tablename__ = "alerts"

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    watch_id: int | None = Field(default=None, foreign_key="watches.id", ondelete="SET NULL")
    incident_id: str = Field(foreign_key="incidents.id", index=True)
    severity: str = Field(max_length=16)
    status: str = Field(
        default="new", max_length=16, index=True, description="new, acknowledged or false_alarm"
    )
    payload: dict[str, Any] = json_dict(description="why it matched, and suggested suppliers")
    created_at: datetime = Field(default_factory=utcnow, index=True)
    acknowledged_at: datetime | None = None
