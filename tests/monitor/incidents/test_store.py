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


def test_the_area_and_the_routine_flag_are_stored(db_settings: Settings) -> None:
    from monitor.incidents.models import incident_document

    zone = {"kind": "circle", "lat": 54.4, "lon": 18.6, "radius_km": 40.0}
    inc = {"id": "w", "title": "Yellow wind warning", "event_type": "storm", "severity": "medium",
           "status": "open", "version": 1, "countries": ["PL"], "places": [], "materials": [],
           "sources": [], "evidence": [], "area": [zone], "routine": True}  # fmt: skip
    with session_scope(db_settings) as session:
        save_incidents(session, [inc, {**inc, "id": "old", "area": None, "routine": None}])
    with session_scope(db_settings) as session:
        row = session.get(Incident, "w")
        assert row is not None and (row.area, row.routine) == ([zone], True)
        assert incident_document(row)["area"] == [zone]
        old = session.get(Incident, "old")
        assert old is not None and (old.area, old.routine) == ([], False)
