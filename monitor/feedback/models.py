"""Feedback tables: a false alarm's reason (one per alert) and a buyer's missed-event report."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlmodel import Field, SQLModel

from monitor.columns import utcnow

FALSE_ALARM_REASONS = (
    "not_a_disruption", "wrong_place", "wrong_material", "duplicate", "not_relevant", "other",
)  # fmt: skip
FalseAlarmReason = Literal[
    "not_a_disruption", "wrong_place", "wrong_material", "duplicate", "not_relevant", "other"
]
NOTE_MAX = 1000  # characters of a buyer's note, stored as plain text
URL_MAX = 2048


class FalseAlarmReport(SQLModel):
    """Why a buyer marks an alert a false alarm (the body of `POST /alerts/{id}/false-alarm`)."""

    reason: FalseAlarmReason = Field(default="other", description="one of a fixed vocabulary")
    note: str = Field(
        default="", max_length=NOTE_MAX, description="free text for the buyer and admins; "
        "kept as plain text (markup and control characters removed), never shown to operators",
    )  # fmt: skip


class AlertFeedback(SQLModel, table=True):
    """The reason an alert was marked a false alarm; marking it again replaces it."""

    __tablename__ = "alert_feedback"

    id: int | None = Field(default=None, primary_key=True)
    alert_id: int = Field(foreign_key="alerts.id", unique=True, index=True, ondelete="CASCADE")
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    reason: str = Field(max_length=32, index=True)
    note: str = Field(default="", max_length=NOTE_MAX)
    created_at: datetime = Field(default_factory=utcnow)


class AlertFeedbackPublic(SQLModel):
    """A false alarm's reason and note, as its buyer and admins see it."""

    alert_id: int
    buyer_id: int
    reason: str
    note: str
    created_at: datetime


class MissedEventCreate(SQLModel):
    """An event a buyer heard of elsewhere and was not alerted to."""

    url: str = Field(min_length=1, max_length=URL_MAX, description="http(s) address of a report")
    note: str = Field(default="", max_length=NOTE_MAX, description="plain text, as for a reason")


class MissedEvent(SQLModel, table=True):
    __tablename__ = "missed_events"

    id: int | None = Field(default=None, primary_key=True)
    buyer_id: int = Field(foreign_key="buyers.id", index=True, ondelete="CASCADE")
    url: str = Field(max_length=URL_MAX)
    note: str = Field(default="", max_length=NOTE_MAX)
    created_at: datetime = Field(default_factory=utcnow, index=True)


class MissedEventPublic(SQLModel):
    """A missed-event report; `note` is None when the caller may not read buyers' notes."""

    id: int
    buyer_id: int
    url: str
    note: str | None
    created_at: datetime


class FeedbackCounts(SQLModel):
    """What operators see of feedback: counts only, never a note."""

    false_alarms: dict[str, int] = Field(description="false alarms by reason, every reason named")
    missed_events: int = Field(description="missed events buyers reported")
