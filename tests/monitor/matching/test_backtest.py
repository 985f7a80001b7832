"""A watch's backtest alerts on exactly what the match stage's code alerts on, sending nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from monitor import db
from monitor.buyers import service as buyers
from monitor.errors import InvalidInput, NotFound
from monitor.incidents.models import incident_document
from monitor.incidents.store import save_incidents
from monitor.matching.alerts import alert_message, decide_alerts
from monitor.matching.backtest import backtest_watch, parse_since
from monitor.matching.sync import WatchSync
from monitor.models import Alert, Incident, WatchCreate
from monitor.settings import Settings
from tests.builders import add_buyer, gdacs_incident

NOW = datetime(2020, 1, 10, tzinfo=UTC)
SEEN = "2020-01-05T12:00:00Z"
INCIDENTS = [
    gdacs_incident(id="inc-sugar-mu", last_seen=SEEN),
    gdacs_incident(id="inc-sugar-mu-closed", status="closed", last_seen="2020-01-07T00:00:00Z"),
    gdacs_incident(id="inc-sugar-mu-old", last_seen="2019-10-01T00:00:00Z"),
    gdacs_incident(id="inc-sugar-mu-low", severity="low", last_seen=SEEN),
    gdacs_incident(id="inc-sugar-fj", countries=["FJ"], last_seen=SEEN,
                   places=[{"name": "Fiji", "country": "FJ", "kind": "country"}]),
    gdacs_incident(id="inc-cocoa-mu", materials=[{"name": "cocoa", "hs": "1801"}],
                   last_seen="2020-01-06T00:00:00Z"),
]  # fmt: skip


@pytest.fixture
def world(db_settings: Settings) -> tuple[Settings, int]:
    """The incidents stored, then a buyer with one watch; return the settings and watch id."""
    with db.session_scope(db_settings) as session:
        save_incidents(session, INCIDENTS)
    buyer = add_buyer(db_settings)
    with db.session_scope(db_settings) as session:
        data = WatchCreate(name="sugar from Mauritius", materials=["sugar"], countries=["MU"])
        watch = buyers.create_watch(session=session, buyer_id=buyer.id or 0, data=data)
    return db_settings, watch.id


def _matcher_alerts(settings: Settings, start: datetime) -> list[tuple[str, dict[str, Any]]]:
    """Return (incident id, why) of what the match stage's code alerts on, newest first."""
    sync = WatchSync(supplier_radius_km=settings.matching.supplier_watch_radius_km)
    out = []
    with db.session_scope(settings) as session:
        sync.refresh(session)
        rows = session.exec(select(Incident)).all()
        for row in sorted(rows, key=lambda r: r.last_seen, reverse=True):
            if row.last_seen.replace(tzinfo=UTC) < start:
                continue
            incident = {**incident_document(row), "status": "open"}
            decisions, _ = decide_alerts(incident, sync.index.match(incident), None)
            out += [(row.id, alert_message(d, incident, [])["why"]) for d in decisions]
    return out


def test_the_backtest_alerts_on_what_the_matcher_alerts_on(world: tuple[Settings, int]) -> None:
    settings, watch_id = world
    with db.session_scope(settings) as session:
        result = backtest_watch(session=session, watch_id=watch_id, since=timedelta(days=30),
                                now=NOW)  # fmt: skip
        assert session.exec(select(Alert)).all() == []  # nothing stored
    got = [(a.incident_id, a.why) for a in result.alerts]
    assert got == _matcher_alerts(settings, NOW - timedelta(days=30))
    # newest first; closed since, it alerted while open; old, low, elsewhere, other material: not
    assert [a.incident_id for a in result.alerts] == ["inc-sugar-mu-closed", "inc-sugar-mu"]
    assert result.count == 2 and result.scanned == 5
    assert result.alerts[0].status == "closed"
    why = result.alerts[1].why
    assert why["watch"]["id"] == watch_id and why["materials"] == ["sugar"]
    assert why["cause"] and why["evidence"] == INCIDENTS[0]["evidence"]


def test_a_watch_written_after_the_incidents_still_sees_them(world: tuple[Settings, int]) -> None:
    settings, watch_id = world
    with db.session_scope(settings) as session:
        watch = buyers.get_watch(session=session, watch_id=watch_id)
        created = watch.created_at.replace(tzinfo=UTC)
        result = backtest_watch(session=session, watch_id=watch.id or 0,
                                since=timedelta(days=3660), now=created)  # fmt: skip
    assert {a.incident_id for a in result.alerts} == {
        "inc-sugar-mu", "inc-sugar-mu-closed", "inc-sugar-mu-old"
    }  # fmt: skip
    assert all(a.last_seen.replace(tzinfo=UTC) < created for a in result.alerts)


def test_another_buyers_watch_is_not_found(world: tuple[Settings, int]) -> None:
    settings, watch_id = world
    with db.session_scope(settings) as session, pytest.raises(NotFound):
        backtest_watch(session=session, watch_id=watch_id, since=timedelta(days=1),
                       buyer_id=99)  # fmt: skip


@pytest.mark.parametrize("text", ["30", "d", "30 days", "-1d", "0d", "3661d", "1y", "x" * 100])
def test_a_bad_since_names_the_field(text: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_since(text)
    assert raised.value.field == "since"


def test_since_reads_hours_days_and_weeks() -> None:
    assert parse_since("12h") == timedelta(hours=12)
    assert parse_since(" 30D ") == timedelta(days=30)
    assert parse_since("2w") == timedelta(weeks=2)
