"""Buyers (who is alerted, and where: webhook, e-mail, Slack, Teams, digest) and their watches
(what a buyer depends on: materials, places, lanes, and from which severity)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, StringConstraints
from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from monitor.columns import json_list, utcnow


class BuyerBase(SQLModel):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=300)
    webhook_url: str | None = Field(default=None, max_length=2048)
    digest_minutes: int = Field(
        default=0, ge=0, le=10080, description="0: alert at once; N: one digest every N minutes"
    )


class Buyer(BuyerBase, table=True):
    __tablename__ = "buyers"

    id: int | None = Field(default=None, primary_key=True)
    webhook_secret: str | None = Field(
        default=None, max_length=200, description="Standard Webhooks secret: whsec_ + base64"
    )
    created_at: datetime = Field(default_factory=utcnow)


class BuyerCreate(BuyerBase):
    pass


class BuyerUpdate(SQLModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=300)
    webhook_url: str | None = Field(default=None, max_length=2048)
    digest_minutes: int | None = Field(default=None, ge=0, le=10080)


class BuyerPublic(BuyerBase):
    id: int
    created_at: datetime


class BuyerCreated(BuyerPublic):
    """A buyer as returned once, on creation or secret rotation: with its webhook secret."""

    webhook_secret: str


DestinationKind = Literal["slack", "teams"]


class Destination(SQLModel, table=True):
    """A chat channel a buyer is alerted in: its incoming-webhook URL is a secret."""

    __tablename__ = "buyer_destinations"
    __table_args__ = (UniqueConstraint("buyer_id", "kind", name="uq_buyer_destinations_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    kind: str = Field(max_length=16, description="slack or teams")
    url: str = Field(max_length=2048, description="the incoming-webhook URL (a secret)")
    created_at: datetime = Field(default_factory=utcnow)


class DestinationCreate(SQLModel):
    kind: DestinationKind = Field(description="slack: incoming webhook; teams: Workflows webhook")
    url: str = Field(min_length=1, max_length=2048, description="shown only masked afterwards")


class DestinationPublic(SQLModel):
    """A destination as shown: the URL masked to its host and last four characters."""

    id: int
    buyer_id: int
    kind: str
    url_hint: str = Field(description="host and the URL's last 4 characters, e.g. host/…a1b2")
    created_at: datetime


Severity = Literal["low", "medium", "high", "critical"]
# Every list and string a watch takes is bounded: far above any real watch, far below harm.
Material = Annotated[str, StringConstraints(min_length=1, max_length=100)]
Country = Annotated[str, StringConstraints(min_length=1, max_length=60)]  # a code or a name
Subdivision = Annotated[str, StringConstraints(min_length=1, max_length=12)]
Lane = Annotated[str, StringConstraints(min_length=1, max_length=100)]
MAX_MATERIALS = 100
MAX_COUNTRIES = 250
MAX_SUBDIVISIONS = 500
MAX_SITES = 500
MAX_LANES = 200


class Site(BaseModel):
    """A supplier site or plant: alerted when an incident lies within `radius_km` of it."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    lat: float = pydantic.Field(ge=-90, le=90)
    lon: float = pydantic.Field(ge=-180, le=180)
    radius_km: float = pydantic.Field(default=50.0, gt=0, le=2000)
    label: str = pydantic.Field(default="", max_length=200)


class WatchFields(SQLModel):
    """The fields a client sends (create) and reads back (public)."""

    name: str = Field(default="", max_length=200)
    materials: list[Material] = Field(
        default_factory=list, max_length=MAX_MATERIALS, description="material ids (DESIGN vocab)"
    )
    countries: list[Country] = Field(
        default_factory=list, max_length=MAX_COUNTRIES, description="ISO 3166-1 alpha-2"
    )
    subdivisions: list[Subdivision] = Field(
        default_factory=list, max_length=MAX_SUBDIVISIONS, description="ISO 3166-2"
    )
    sites: list[Site] = Field(default_factory=list, max_length=MAX_SITES)
    lanes: list[Lane] = Field(
        default_factory=list, max_length=MAX_LANES, description="UN/LOCODE, port or waterway"
    )
    min_severity: Severity = "medium"
    routine_warnings: bool = Field(
        default=False, description="also alert on routine weather warnings (yellow, CAP Moderate)"
    )


class Watch(SQLModel, table=True):
    __tablename__ = "watches"

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    materials: list[str] = json_list()
    countries: list[str] = json_list()
    subdivisions: list[str] = json_list()
    sites: list[dict[str, Any]] = json_list(description="[{lat, lon, radius_km, label}]")
    lanes: list[str] = json_list()
    min_severity: str = Field(default="medium", max_length=16)
    routine_warnings: bool = False
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class WatchCreate(WatchFields):
    pass


class WatchUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    materials: list[Material] | None = Field(default=None, max_length=MAX_MATERIALS)
    countries: list[Country] | None = Field(default=None, max_length=MAX_COUNTRIES)
    subdivisions: list[Subdivision] | None = Field(default=None, max_length=MAX_SUBDIVISIONS)
    sites: list[Site] | None = Field(default=None, max_length=MAX_SITES)
    lanes: list[Lane] | None = Field(default=None, max_length=MAX_LANES)
    min_severity: Severity | None = None
    routine_warnings: bool | None = None


class WatchPublic(WatchFields):
    id: int
    buyer_id: int
    created_at: datetime
    updated_at: datetime


class WatchChange(SQLModel, table=True):
    """One change that may move the watch index: written by database triggers, never by hand.

    A watch inserted, updated or deleted (`watch_id`); a buyer–supplier link added or removed
    (`buyer_id`, `supplier_id`); a supplier or its materials changed (`supplier_id`). Workers
    read the rows after the last `seq` they applied, so a refresh costs what changed.
    """

    __tablename__ = "watch_changes"
    # Numbers are never reused, even after the newest rows were deleted (SQLite would).
    __table_args__ = {"sqlite_autoincrement": True}

    seq: int | None = Field(default=None, primary_key=True)
    watch_id: int | None = None
    buyer_id: int | None = None
    supplier_id: int | None = None
    at: datetime = Field(default_factory=utcnow, index=True)
