"""Alerts (one per buyer, incident and incident version) and their deliveries."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from monitor.columns import json_dict, json_list, utcnow

ALERT_STATUSES = ("new", "acknowledged", "false_alarm")
AlertStatus = Literal["new", "acknowledged", "false_alarm"]
ALERT_KINDS = ("new", "worse", "all_clear")
DELIVERY_STATUSES = ("pending", "delivered", "failed", "gave_up")


class AlertBase(SQLModel):
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    incident_id: str = Field(max_length=64, index=True)
    incident_version: int = Field(default=1, ge=1)
    watch_id: int | None = Field(
        default=None, description="the watch that matched; None for a buyer's own supplier"
    )
    kind: str = Field(default="new", max_length=16, description="new, worse or all_clear")
    severity: str = Field(max_length=16, index=True)
    status: str = Field(
        default="new", max_length=16, index=True, description="new, acknowledged or false_alarm"
    )
    created_at: datetime = Field(default_factory=utcnow, index=True)
    acknowledged_at: datetime | None = None


class Alert(AlertBase, table=True):
    """Unique per (buyer, incident, version): a replayed incident message never alerts twice."""

    __tablename__ = "alerts"
    __table_args__ = (
        UniqueConstraint("buyer_id", "incident_id", "incident_version", name="uq_alerts_version"),
    )

    id: int | None = Field(default=None, primary_key=True)
    why: dict[str, Any] = json_dict(description="watch, materials, places, evidence")
    suggestions: list[dict[str, Any]] = json_list(description="[{material, suppliers: [...]}]")
    incident: dict[str, Any] = json_dict(description="the incident as it was when alerted")
    feed_ids: list[int] = json_list(description="feeds that reported it, for false-alarm rates")


class AlertPublic(AlertBase):
    id: int
    why: dict[str, Any]
    suggestions: list[dict[str, Any]]
    incident: dict[str, Any]


class Delivery(SQLModel, table=True):
    """One channel's delivery of one alert, retried until delivered or given up."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("alert_id", "channel", name="uq_deliveries_channel"),)

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alerts.id", index=True, ondelete="CASCADE")
    channel: str = Field(max_length=16, description="webhook, email, slack or teams")
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=2000)
    next_attempt_at: datetime | None = Field(default=None, index=True)
    delivered_at: datetime | None = None
    created_at: datetime = Field(default_factory=utcnow)


class DeliveryPublic(SQLModel):
    """How one alert's delivery on one channel went: shown to its buyer and to operators."""

    id: int
    alert_id: int
    channel: str
    status: str = Field(description="pending, delivered, failed (retry due) or gave_up")
    attempts: int
    last_error: str | None = Field(description="why the last attempt failed")
    next_attempt_at: datetime | None
    delivered_at: datetime | None
    created_at: datetime
