"""The incidents service: filtered pages of incidents, and every source of one."""

from __future__ import annotations

import pytest

from monitor.db import session_scope
from monitor.errors import InvalidInput
from monitor.incidents.service import list_incidents, list_sources
from monitor.incidents.store import save_incidents
from monitor.models import Incident
from monitor.settings import Settings


def test_every_source_is_kept_once_and_paged(db_settings: Settings) -> None:
    inc = {"id": "big", "title": "t", "event_type": "strike", "severity": "high",
           "status": "open", "version": 1, "countries": ["BE"], "places": [], "materials": [],
           "sources": [], "source_count": 3, "evidence": [],
           "first_seen": "2026-01-01T00:00:00+00:00",
           "last_seen": "2026-01-02T00:00:00+00:00"}  # fmt: skip
    sources = [("big", {"item_id": f"s{i}", "url": f"https://example.org/{i}", "title": f"n{i}",
                        "published": f"2026-01-0{3 - i}T00:00:00+00:00", "feed_id": None})
               for i in range(3)]  # fmt: skip
    with session_scope(db_settings) as session:
        save_incidents(session, [inc], sources[:2])
    with session_scope(db_settings) as session:  # a replayed batch adds only what is new
        save_incidents(session, [inc], sources)
    with session_scope(db_settings) as session:
        rows, total = list_sources(session=session, incident_id="big", limit=2, offset=0)
        assert total == 3
        assert [r.item_id for r in rows] == ["s2", "s1"]  # earliest published first
        rows, _ = list_sources(session=session, incident_id="big", limit=2, offset=2)
        assert [r.item_id for r in rows] == ["s0"]
        row = session.get(Incident, "big")
        assert row is not None and row.source_count == 3


def test_the_material_filter_finds_rows_of_either_json_writer(db_settings: Settings) -> None:
    from sqlalchemy import text

    inc = {"title": "t", "event_type": "strike", "severity": "high", "status": "open",
           "version": 1, "countries": ["BE"], "places": [], "sources": [], "evidence": [],
           "first_seen": "2026-01-01T00:00:00+00:00",
           "last_seen": "2026-01-02T00:00:00+00:00"}  # fmt: skip
    with session_scope(db_settings) as session:
        save_incidents(session, [{**inc, "id": "new", "materials": [{"name": "cocoa"}]}])
        session.execute(  # as the json module wrote it before orjson: '"name": "cocoa"'
            text(
                "INSERT INTO incidents (id, title, event_type, severity, status, version,"
                " confidence, first_seen, last_seen, cluster_key, countries, materials, places,"
                " sources, source_count, evidence, updated_at) VALUES ('old', 't', 'strike',"
                " 'high', 'open', 1, 0.5, '2026-01-01', '2026-01-01', 'k', '[]',"
                " '[{\"name\": \"cocoa\"}]', '[]', '[]', 0, '[]', '2026-01-01')"
            )
        )
    with session_scope(db_settings) as session:
        rows, total = list_incidents(session=session, material="cocoa")
    assert {r.id for r in rows} == {"new", "old"} and total == 2


def test_the_filters_take_a_synonym_an_hs_heading_and_a_lower_case_country(
    db_settings: Settings,
) -> None:
    inc = {"id": "c", "title": "t", "event_type": "strike", "severity": "high", "status": "open",
           "version": 1, "countries": ["GH"], "places": [], "sources": [], "evidence": [],
           "materials": [{"name": "cocoa"}], "first_seen": "2026-01-01T00:00:00+00:00",
           "last_seen": "2026-01-02T00:00:00+00:00"}  # fmt: skip
    with session_scope(db_settings) as session:
        save_incidents(session, [inc])
    with session_scope(db_settings) as session:
        for material in ("cocoa beans", "1801", "Cacao"):
            rows, _ = list_incidents(session=session, material=material, country="gh")
            assert [r.id for r in rows] == ["c"]
        with pytest.raises(InvalidInput) as bad:
            list_incidents(session=session, material="unobtainium")
    assert bad.value.field == "material"


def test_the_impact_filter_finds_incidents_that_report_that_impact(db_settings: Settings) -> None:
    inc = {"title": "t", "event_type": "storm", "severity": "high", "status": "open",
           "version": 1, "countries": ["CN"], "places": [], "sources": [], "evidence": [],
           "materials": [], "first_seen": "2026-01-01T00:00:00+00:00",
           "last_seen": "2026-01-02T00:00:00+00:00"}  # fmt: skip
    closed = {"type": "port_closure", "evidence": {"text": "closes", "start": 8, "end": 14}}
    with session_scope(db_settings) as session:
        save_incidents(session, [{**inc, "id": "ningbo", "impacts": [closed]},
                                 {**inc, "id": "none"}])  # fmt: skip
    with session_scope(db_settings) as session:
        rows, total = list_incidents(session=session, impact="port_closure")
        assert [r.id for r in rows] == ["ningbo"] and total == 1
        assert rows[0].impacts == [closed]
        assert list_incidents(session=session, impact="shortage") == ([], 0)
        with pytest.raises(InvalidInput) as bad:
            list_incidents(session=session, impact="closed")
    assert bad.value.field == "impact"
