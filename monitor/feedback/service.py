"""The feedback service: a false alarm's reason and note, and missed events buyers report."""

from __future__ import annotations

from urllib.parse import urlsplit

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from connectors.text import plain_text, squash
from monitor.alerts import service as alerts
from monitor.alerts.models import Alert
from monitor.errors import InvalidInput
from monitor.feedback.models import (
    NOTE_MAX,
    AlertFeedback,
    FalseAlarmReport,
    MissedEvent,
    MissedEventCreate,
    MissedEventPublic,
)


def clean_note(note: str) -> str:
    """Return a note as plain one-line text: no markup, no control or bidi characters."""
    return squash(plain_text(note, limit=NOTE_MAX))


def mark_false_alarm(
    *, session: Session, alert_id: int, report: FalseAlarmReport, buyer_id: int | None = None
) -> Alert:
    """Mark an alert a false alarm and keep why; with `buyer_id`, only that buyer's alert."""
    alert = alerts.set_status(
        session=session, alert_id=alert_id, status="false_alarm", buyer_id=buyer_id
    )
    assert alert.id is not None
    row = get_feedback(session=session, alert_id=alert.id)
    if row is None:
        row = AlertFeedback(alert_id=alert.id, buyer_id=alert.buyer_id, reason=report.reason)
    row.reason, row.note = report.reason, clean_note(report.note)
    try:
        with session.begin_nested():  # two marks at once: the second finds the first's row
            session.add(row)
            session.flush()
    except IntegrityError:
        row = get_feedback(session=session, alert_id=alert.id) or row
        row.reason, row.note = report.reason, clean_note(report.note)
        session.add(row)
        session.flush()
    return alert


def get_feedback(
    *, session: Session, alert_id: int, buyer_id: int | None = None
) -> AlertFeedback | None:
    """Return why an alert was marked a false alarm (None if it never was)."""
    if buyer_id is not None:
        alerts.get_alert(session=session, alert_id=alert_id, buyer_id=buyer_id)
    stmt = select(AlertFeedback).where(AlertFeedback.alert_id == alert_id)
    return session.exec(stmt).first()


def valid_report_url(url: str) -> str:
    """Return `url` stripped, or raise InvalidInput unless it is a plain http(s) address."""
    url = url.strip()
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        raise InvalidInput("url", "url is not a valid address") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url", "url must be an http:// or https:// address")
    if parts.username is not None or parts.password is not None:
        raise InvalidInput("url", "url must not carry a user name or password")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise InvalidInput("url", "url must not hold spaces or control characters")
    return url


def report_missed(*, session: Session, buyer_id: int, data: MissedEventCreate) -> MissedEvent:
    """Record an event a buyer was not alerted to, by the address of a report of it."""
    row = MissedEvent(buyer_id=buyer_id, url=valid_report_url(data.url), note=clean_note(data.note))
    session.add(row)
    session.flush()
    session.refresh(row)
    return row


def list_missed(
    *, session: Session, buyer_id: int | None, limit: int = 50, offset: int = 0
) -> tuple[list[MissedEvent], int]:
    """Return a page of missed-event reports, newest first (one buyer's, or all), and the total."""
    where = [] if buyer_id is None else [col(MissedEvent.buyer_id) == buyer_id]
    stmt = select(MissedEvent).where(*where).order_by(col(MissedEvent.id).desc())
    rows = session.exec(stmt.offset(offset).limit(limit)).all()
    total = session.exec(select(func.count()).select_from(MissedEvent).where(*where)).one()
    return list(rows), total


def public_missed(row: MissedEvent, *, with_note: bool) -> MissedEventPublic:
    """Return a report as shown: the note only to the buyer and admins."""
    assert row.id is not None
    return MissedEventPublic(
        id=row.id, buyer_id=row.buyer_id, url=row.url, note=row.note if with_note else None,
        created_at=row.created_at,
    )  # fmt: skip
