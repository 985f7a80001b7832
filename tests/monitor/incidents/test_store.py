"""Incidents are written to the database without ever going back a version."""

from __future__ import annotations

from monitor.db import session_scope
from monitor.incidents.store import save_incidents
from monitor.models import Incident
from monitor.settings import Settings


def test_save_incidents_never_goes_back_a_version(db_settings: Settings) -> None:
    inc = {"id": "i", "title": "t", "event_type": "strike", "severity": "high", "status": "open",
           "version": 2, "countries": ["BE"], "places": [{"name": "A", "lat": 1.0, "lon": 2.0}],
           "materials": [], "sources": [], "evidence": [], "first_seen": "2026-01-01T00:00:00",
           "last_seen": "2026-01-02T00:00:00+00:00", "closed_at": None}  # fmt: skip
    with session_scope(db_settings) as session:
        assert save_incidents(session, [inc]) == 1
    with session_scope(db_settings) as session:
        assert save_incidents(session, [{**inc, "version": 1, "status": "closed"}]) == 0
        assert save_incidents(session, []) == 0
    with session_scope(db_settings) as session:
        row = session.get(Incident, "i")
        assert row is not None and row.status == "open" and row.lat == 1.0
