"""Clustering reports into incidents: pure functions, no services."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from monitor.incidents import ClusterRules, apply_report, cluster_key, expire
from monitor.settings import IncidentSettings

NOW = datetime(2026, 11, 27, 12, tzinfo=UTC)
RULES = ClusterRules.from_settings(IncidentSettings())
ANTWERP = {"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR",
           "lat": 51.22, "lon": 4.40}  # fmt: skip


def report(item_id: str, hours: float = 0, **kw: Any) -> dict[str, Any]:
    base = {"id": item_id, "event_type": "strike", "countries": ["BE"], "places": [ANTWERP],
            "materials": [{"name": "cocoa", "hs": "1801"}], "severity": "high",
            "confidence": 0.8, "evidence": [{"text": "strike", "why": "event trigger"}],
            "title": f"report {item_id}", "recovery": False,
            "published": (NOW + timedelta(hours=hours)).isoformat()}  # fmt: skip
    return {**base, **kw}


def run(*reports: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, int]]]:
    state: dict[str, Any] | None = None
    events = []
    for r in reports:
        state, changes = apply_report(state, r, now=NOW, rules=RULES)
        events += [(c.event, c.incident["version"]) for c in changes]
    assert state is not None
    return state, events


def test_cluster_key_is_event_type_and_first_port_or_country() -> None:
    assert cluster_key(report("a")) == "strike:BEANR"
    assert cluster_key(report("a", places=[])) == "strike:BE"
    assert cluster_key({"id": "x"}) == "other:-"


def test_two_reports_of_one_event_are_one_incident() -> None:
    state, events = run(report("a"), report("b", 3, severity="medium"))
    assert events == [("opened", 1), ("sourced", 1)]
    (incident,) = state["incidents"]
    assert [s["item_id"] for s in incident["sources"]] == ["a", "b"]


def test_worse_report_bumps_the_version() -> None:
    _, events = run(report("a", severity="medium"), report("b", 1, severity="critical"))
    assert events == [("opened", 1), ("updated", 2)]
    _, events = run(report("a"), report("b", 1, countries=["BE", "NL"]))
    assert events == [("opened", 1), ("updated", 2)]


def test_a_duplicate_report_changes_nothing() -> None:
    _, events = run(report("a"), report("a"))
    assert events == [("opened", 1)]


def test_far_apart_or_other_material_or_late_reports_are_other_incidents() -> None:
    far = {**ANTWERP, "locode": "XXFAR", "lat": -33.0, "lon": 151.0, "name": "Far"}
    state, _ = run(report("a"), report("b", places=[far], countries=["AU"]))
    assert len(state["incidents"]) == 2
    state, _ = run(report("a"), report("b", materials=[{"name": "copper"}]))
    assert len(state["incidents"]) == 2
    state, _ = run(report("a"), report("b", materials=[]))  # no material: joins
    assert len(state["incidents"]) == 1
    state, _ = run(report("a"), report("b", 24 * 10))  # outside the window
    assert len(state["incidents"]) == 2


def test_a_recovery_closes_it_whichever_comes_first() -> None:
    recovery = report("r", 48, recovery=True, severity=None)
    state, events = run(report("a"), recovery)
    assert events == [("opened", 1), ("closed", 2)]
    assert state["incidents"][0]["status"] == "closed"
    state, events = run(recovery, report("a"))
    assert events == [("closed", 2)]  # never announced as open
    state, events = run(report("a"), recovery, report("b", 1))  # a late report of it
    assert events[-1] == ("sourced", 2)
    # A recovery published before the report does not close it.
    _, events = run(report("a", 48), report("r", 0, recovery=True))
    assert events == [("opened", 1)]


def test_expiry_after_no_report_for_the_configured_time() -> None:
    state, _ = run(report("a"))
    _, changes = expire(state, now=NOW + timedelta(hours=1), rules=RULES)
    assert changes == []
    later, changes = expire(state, now=NOW + RULES.expiry + timedelta(minutes=1), rules=RULES)
    assert [(c.event, c.incident["status"]) for c in changes] == [("expired", "expired")]
    gone, _ = expire(later, now=NOW + RULES.expiry + RULES.keep_closed * 2, rules=RULES)
    assert gone["incidents"] == []


def test_a_big_event_keeps_its_first_and_latest_sources_and_counts_them_all() -> None:
    from monitor.incidents.cluster import IDS_KEPT, SOURCES_KEPT

    state: dict[str, Any] | None = None
    added = []
    # Published in a shuffled order, as many feeds report one event.
    hours = [(i * 37) % 600 / 10 for i in range(600)]
    for i, h in enumerate(hours):
        state, changes = apply_report(state, report(f"r{i}", h), now=NOW, rules=RULES)
        added += [c.source["item_id"] for c in changes if c.source]
    assert state is not None
    (incident,) = state["incidents"]
    assert incident["source_count"] == 600 and len(added) == 600  # each says its source
    kept = incident["sources"]
    assert len(kept) == SOURCES_KEPT
    assert kept[0]["item_id"] == "r0"  # the opening report (published at hour 0)
    published = sorted((h, f"r{i}") for i, h in enumerate(hours))
    assert [s["item_id"] for s in kept[1:]] == [r for _, r in published[-(SOURCES_KEPT - 1) :]]
    # A repeat of a report no longer among the kept sources is still dropped ...
    again, changes = apply_report(state, report("r150", 15), now=NOW, rules=RULES)
    assert changes == [] and again["incidents"][0]["source_count"] == 600
    # ... and the ids remembered are bounded too.
    assert len(state["ids"]) == IDS_KEPT


def _impact(kind: str, text: str) -> dict[str, Any]:
    return {"type": kind, "evidence": {"text": text, "start": 0, "end": len(text), "why": "impact"}}


def test_an_incident_keeps_the_union_of_its_reports_impacts_quietly() -> None:
    closed, blanked = _impact("port_closure", "closes"), _impact("sailings_cancelled", "blanks")
    state, events = run(
        report("a", impacts=[closed]),
        report("b", 1, impacts=[_impact("port_closure", "shut"), blanked, "junk", {"x": 1}]),
        report("c", 2),  # no impacts: an older message, or a report that names none
    )
    assert events == [("opened", 1), ("sourced", 1), ("sourced", 1)]
    (incident,) = state["incidents"]
    assert incident["impacts"] == [closed, blanked]  # one per type, as first reported
    assert run(report("a"))[0]["incidents"][0]["impacts"] == []


def test_an_incident_keeps_its_reports_areas_and_stops_being_routine_when_one_is_not() -> None:
    zone = {"kind": "circle", "lat": 51.2, "lon": 4.4, "radius_km": 30.0}
    box = {"kind": "bbox", "bbox": [4.0, 51.0, 5.0, 52.0]}
    state, events = run(
        report("a", area=[zone], routine=True, severity="medium"),
        report("b", 1, area=[zone, box], routine=True, severity="medium"),
        report("c", 2, severity="medium"),  # a report that is not a routine warning
    )
    assert events == [("opened", 1), ("sourced", 1), ("updated", 2)]
    (incident,) = state["incidents"]
    assert incident["area"] == [zone, box] and incident["routine"] is False
    state, _ = run(report("a", routine=True), report("b", 1, routine=True))
    assert state["incidents"][0]["routine"] is True and state["incidents"][0]["area"] == []
