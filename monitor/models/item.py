"""The index of items already produced to Kafka, so a poll never produces one twice."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from monitor.columns import utcnow


class SeenItem(SQLModel, table=True):
    __tablename__ = "seen_items"

    # The item id is a fixed-length digest, so the primary-key index stays compact at millions.
    item_id: str = Field(primary_key=True, max_length=64)
    feed_id: int | None = Field(
        default=None, foreign_key="feeds.id", index=True, ondelete="CASCADE"
    )
    seen_at: datetime = Field(default_factory=utcnow)
