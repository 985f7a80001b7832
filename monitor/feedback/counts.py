"""Feedback counted in SQL: alerts, false alarms and their reasons per feed, and in all.

An alert names the feeds that reported its incident in a JSON list (`alerts.feed_ids`); the
database unnests that list (SQLite `json_each`, PostgreSQL `json_array_elements_text`) and
groups, so no alert is loaded into Python however many there are.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Integer, case, cast, distinct
from sqlalchemy.sql.selectable import TableValuedAlias
from sqlmodel import Session, col, func, select

from monitor.alerts.models import Alert
from monitor.feedback.models import FALSE_ALARM_REASONS, AlertFeedback, FeedbackCounts, MissedEvent


@dataclass
class FeedCounts:
    """One feed's alerts, how many were false alarms, and why."""

    alerts: int = 0
    false_alarms: int = 0
    reasons: Counter[str] = field(default_factory=Counter)

    @property
    def precision(self) -> float | None:
        """Return the share of its alerts not marked false (None without alerts)."""
        return round(1 - self.false_alarms / self.alerts, 4) if self.alerts else None


def _feed_id(session: Session) -> tuple[TableValuedAlias, ColumnElement[int]]:
    """Return (a FROM item that unnests `alerts.feed_ids`, its feed-id column)."""
    if session.get_bind().dialect.name == "postgresql":
        ids = (
            func.json_array_elements_text(col(Alert.feed_ids))
            .table_valued("value", joins_implicitly=True)
            .render_derived()
        )
        return ids, cast(ids.c.value, Integer)
    ids = func.json_each(col(Alert.feed_ids)).table_valued("value", joins_implicitly=True)
    return ids, cast(ids.c.value, Integer)


def feed_counts(*, session: Session, feed_ids: list[int]) -> dict[int, FeedCounts]:
    """Return each of these feeds' alerts, false alarms and false alarms by reason."""
    counts = {fid: FeedCounts() for fid in feed_ids}
    if not feed_ids:
        return counts
    ids, feed_id = _feed_id(session)
    false = col(Alert.status) == "false_alarm"
    totals = (
        select(
            feed_id,
            func.count(distinct(col(Alert.id))),
            func.count(distinct(case((false, col(Alert.id))))),
        )
        .select_from(Alert)
        .join(ids, feed_id.in_(feed_ids))
        .group_by(feed_id)
    )
    for fid, alerts, false_alarms in session.exec(totals).all():
        counts[fid].alerts, counts[fid].false_alarms = alerts, false_alarms
    reasons = (
        select(feed_id, col(AlertFeedback.reason), func.count(distinct(col(Alert.id))))
        .select_from(Alert)
        .join(AlertFeedback, col(AlertFeedback.alert_id) == col(Alert.id))
        .join(ids, feed_id.in_(feed_ids))
        .where(false)
        .group_by(feed_id, col(AlertFeedback.reason))
    )
    for fid, reason, n in session.exec(reasons).all():
        counts[fid].reasons[reason] = n
    return counts


def reason_counts(*, session: Session) -> dict[str, int]:
    """Return how many alerts are false alarms for each reason (every reason named)."""
    stmt = (
        select(col(AlertFeedback.reason), func.count())
        .join(Alert, col(Alert.id) == col(AlertFeedback.alert_id))
        .where(col(Alert.status) == "false_alarm")
        .group_by(col(AlertFeedback.reason))
    )
    counts = dict.fromkeys(FALSE_ALARM_REASONS, 0)
    for reason, n in session.exec(stmt).all():
        if reason in counts:
            counts[reason] = n
    return counts


def totals(*, session: Session) -> FeedbackCounts:
    """Return false alarms by reason and the missed events reported: counts, no notes."""
    missed = session.exec(select(func.count()).select_from(MissedEvent)).one()
    return FeedbackCounts(false_alarms=reason_counts(session=session), missed_events=missed)
