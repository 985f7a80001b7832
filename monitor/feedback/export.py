"""Buyers' feedback as unlabelled candidates for the tagger's dev set (JSON Lines).

Each line has the fields of the prose dev set (`tests/data/README.md`: id, title, body, url,
publisher, publisher_domain, published, licence, style, gold) with `gold` null for a labeller
to fill, and `source` saying where it came from: the feed items behind false-alarm alerts,
then the missed events' URLs. Item texts are not stored, only their titles and addresses, so
`body`, `publisher`, `licence` and `style` are empty until the labeller reads the page.
`hint` carries what buyers said: the reasons (a count per reason) and, for a false alarm,
what the tagger made of the incident. Notes are buyers' own words: left out unless asked for
(`with_notes`); buyer ids never leave.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, col, select

from monitor.alerts.models import Alert
from monitor.feedback.models import AlertFeedback, MissedEvent

BATCH = 500  # rows read from the database at a time


def candidates(*, session: Session, with_notes: bool = False) -> Iterator[dict[str, Any]]:
    """Yield one candidate per item behind a false alarm, then one per missed-event URL."""
    yield from false_alarm_items(session=session, with_notes=with_notes)
    yield from missed_event_items(session=session, with_notes=with_notes)


def false_alarm_items(*, session: Session, with_notes: bool) -> Iterator[dict[str, Any]]:
    """Yield each report (feed item) of an incident an alert was marked false for, once."""
    stmt = (
        select(Alert.incident, AlertFeedback.reason, AlertFeedback.note)
        .join(AlertFeedback, col(AlertFeedback.alert_id) == col(Alert.id))
        .where(col(Alert.status) == "false_alarm")
        .order_by(col(Alert.id))
        .execution_options(yield_per=BATCH)
    )
    found: dict[str, dict[str, Any]] = {}
    for incident, reason, note in session.exec(stmt):
        for source in (incident or {}).get("sources") or []:
            key = source.get("item_id") if isinstance(source, Mapping) else None
            if not isinstance(key, str) or not key:
                continue
            row = found.get(key) or found.setdefault(key, _item(source, incident))
            _add_hint(row["hint"], reason, note if with_notes else "")
    yield from found.values()


def missed_event_items(*, session: Session, with_notes: bool) -> Iterator[dict[str, Any]]:
    """Yield each URL buyers reported as missed, once, oldest report first."""
    stmt = (
        select(MissedEvent.url, MissedEvent.note)
        .order_by(col(MissedEvent.id))
        .execution_options(yield_per=BATCH)
    )
    found: dict[str, dict[str, Any]] = {}
    for url, note in session.exec(stmt):
        row = found.get(url)
        if row is None:
            digest = hashlib.sha256(url.encode()).hexdigest()[:12]
            row = found[url] = _candidate(
                f"missed-{digest}", "", url, None, "feedback:missed_event", {"kind": "missed"}
            )
        _add_hint(row["hint"], "missed", note if with_notes else "")
    yield from found.values()


def _item(source: Mapping[str, Any], incident: Mapping[str, Any]) -> dict[str, Any]:
    tagged = {
        "event_type": incident.get("event_type"),
        "severity": incident.get("severity"),
        "countries": list(incident.get("countries") or []),
        "materials": [
            m.get("name") for m in incident.get("materials") or [] if isinstance(m, dict)
        ],
    }
    return _candidate(
        str(source["item_id"]), str(source.get("title") or ""), source.get("url"),
        source.get("published"), "feedback:false_alarm",
        {"kind": "false_alarm", "incident_id": incident.get("id"), "tagged": tagged},
    )  # fmt: skip


def _candidate(
    item_id: str, title: str, url: str | None, published: Any, source: str, hint: dict[str, Any]
) -> dict[str, Any]:
    domain = (urlsplit(url).hostname or "") if isinstance(url, str) else ""
    return {
        "id": item_id, "title": title, "body": "", "url": url, "publisher": "",
        "publisher_domain": domain, "published": published, "licence": "", "style": None,
        "source": source, "gold": None, "hint": {**hint, "reasons": {}},
    }  # fmt: skip


def _add_hint(hint: dict[str, Any], reason: str, note: str) -> None:
    hint["reasons"][reason] = hint["reasons"].get(reason, 0) + 1
    if note:
        hint.setdefault("notes", []).append(note)
