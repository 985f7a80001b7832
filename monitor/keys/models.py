"""API keys: stored as a hash, found by their public prefix."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Field, SQLModel

from monitor.columns import utcnow

ROLES = ("admin", "operator", "buyer", "viewer")
Role = Literal["admin", "operator", "buyer", "viewer"]


class ApiKey(SQLModel, table=True):
    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    prefix: str = Field(max_length=32, unique=True, index=True, description="shown, not secret")
    key_hash: str = Field(max_length=300, description="argon2 hash of the whole key")
    role: str = Field(max_length=16)
    buyer_id: int | None = Field(default=None, foreign_key="buyers.id", ondelete="CASCADE")
    name: str = Field(default="", max_length=200)
    created_at: datetime = Field(default_factory=utcnow)
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None
