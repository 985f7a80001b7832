"""Buyers: who is alerted, and where (webhook, e-mail, digest)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from monitor.columns import utcnow

SEVERITIES = ("low", "medium", "high", "critical")


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
