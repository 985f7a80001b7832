"""Column helpers shared by every table model: JSON columns and the UTC clock."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field


def utcnow() -> datetime:
    """Return the current time in UTC."""
    return datetime.now(UTC)


def json_list(**kwargs: Any) -> Any:
    """Return a JSON list column (portable across SQLite and PostgreSQL)."""
    return Field(default_factory=list, sa_column=Column(JSON, nullable=False), **kwargs)


def json_dict(**kwargs: Any) -> Any:
    """Return a JSON object column (portable across SQLite and PostgreSQL)."""
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False), **kwargs)
