"""Cluster disruption reports into incidents: pure functions over one cluster's state.

A cluster is every incident under one cluster key (event type + port/waterway or country); the
stream keeps one cluster per key, so these functions see one key's incidents at a time. An
incident follows its reports' *published* times (reports arrive out of order) and keeps the
union of their impacts (what happened to supply, one per type, as first reported) and of the
areas their feeds gave; changes that matter to a buyer (opened, severity up, new country or
material, no longer a routine warning, closed, expired) bump its version and are emitted; a
new source alone is kept quietly.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from monitor.areas import MAX_SHAPES
from monitor.geo import haversine_km
from monitor.vocab import SEVERITIES

if TYPE_CHECKING:
    from monitor.settings import IncidentSettings

EVIDENCE_KEPT = 10  # evidence spans an incident keeps (the strongest report's)
# An incident in the stream carries its first source and its latest ones, and counts them all;
# the database keeps every source (incident_sources). Each report rewrites the incident's state
# and its row, so an unbounded list made a big event cost more with every report.
SOURCES_KEPT = 20
# Item ids a cluster remembers to drop repeats (the tag stage remembers a day of them too).
IDS_KEPT = 500


@dataclass(frozen=True)
class ClusterRules:
    """When a report belongs to an incident, and how long incidents live."""

    distance_km: float  # two points closer than this are one place
    window: timedelta  # reports this far apart are still one event
    expiry: timedelta  # an open incident with no report for this long
    keep_closed: timedelta  # closed ones stay, so late reports join them

    @classmethod
    def from_settings(cls, incidents: IncidentSettings) -> ClusterRules:
        """Return the rules the incident settings give."""
        return cls(
            distance_km=incidents.distance_km,
            window=timedelta(hours=incidents.window_h),
            expiry=timedelta(hours=incidents.expiry_h),
            keep_closed=timedelta(hours=incidents.keep_closed_h),
        )


@dataclass(frozen=True)
class Change:
    """An incident that changed: `event` is opened, updated, closed, expired or sourced.

    `source` is the report this change added to the incident (none for an expiry).
    """

    event: str
    incident: dict[str, Any]
    source: dict[str, Any] | None = None

    @property
    def emitted(self) -> bool:
        """Return whether buyers should hear about it (everything but a quiet new source)."""
        return self.event != "sourced"


def _rank(severity: Any) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def _lanes(places: Iterable[Mapping[str, Any]]) -> list[str]:
    """Return the ports and waterways named, in the order the report names them."""
    out = (str(p.get("locode") or p.get("name") or "").upper()
           for p in places if p.get("kind") in ("port", "waterway"))  # fmt: skip
    return list(dict.fromkeys(x for x in out if x))


def cluster_key(report: Mapping[str, Any]) -> str:
    """Return `event_type:place`: the first port/waterway named, else the first country."""
    lanes = _lanes(report.get("places") or [])
    countries = list(report.get("countries") or [])
    where = lanes[0] if lanes else countries[0] if countries else "-"
    return f"{report.get('event_type') or 'other'}:{where}"


def parse_time(value: Any, default: datetime) -> datetime:
    """Return an aware datetime from ISO text, or `default` when absent or unreadable."""
    if isinstance(value, str) and value:
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return default
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return default


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _points(places: Iterable[Mapping[str, Any]]) -> list[tuple[float, float]]:
    return [
        (float(p["lat"]), float(p["lon"]))
        for p in places
        if isinstance(p.get("lat"), int | float) and isinstance(p.get("lon"), int | float)
    ]


def _places_overlap(report: Mapping[str, Any], incident: Mapping[str, Any], km: float) -> bool:
    rp, ip = report.get("places") or [], incident.get("places") or []
    if set(_lanes(rp)) & set(_lanes(ip)):
        return True
    mine, theirs = _points(rp), _points(ip)
    if mine and theirs:
        return any(haversine_km(a, b, c, d) <= km for a, b in mine for c, d in theirs)
    # Without points on both sides, a shared country is the best overlap there is.
    return bool(set(report.get("countries") or []) & set(incident.get("countries") or []))


def _materials(values: Iterable[Any]) -> set[str]:
    return {str(m.get("name") if isinstance(m, Mapping) else m) for m in values}


def _materials_overlap(report: Mapping[str, Any], incident: Mapping[str, Any]) -> bool:
    mine, theirs = _materials(report.get("materials") or []), _materials(incident["materials"])
    return not mine or not theirs or bool(mine & theirs)


def _in_window(at: datetime, incident: Mapping[str, Any], window: timedelta) -> bool:
    first = parse_time(incident["first_seen"], at)
    last = parse_time(incident["last_seen"], at)
    return first - window <= at <= last + window


def _matches(report: Mapping[str, Any], at: datetime, inc: Mapping[str, Any], r: ClusterRules):
    return (
        inc["event_type"] == (report.get("event_type") or "other")
        and _in_window(at, inc, r.window)
        and _places_overlap(report, inc, r.distance_km)
        and _materials_overlap(report, inc)
    )


def source_of(report: Mapping[str, Any], at: datetime) -> dict[str, Any]:
    """Return the incident's record of one report."""
    return {
        "item_id": str(report["id"]),
        "url": report.get("url"),
        "title": report.get("title"),
        "published": _iso(at),
        "feed_id": report.get("feed_id"),
    }


def _union(old: list[dict[str, Any]], new: Iterable[Mapping[str, Any]], key: Any) -> list:
    seen = {key(x) for x in old}
    out = list(old)
    for x in new:
        if key(x) not in seen:
            seen.add(key(x))
            out.append(dict(x))
    return out


def _place_key(p: Mapping[str, Any]) -> tuple[Any, ...]:
    return (p.get("name"), p.get("country"), p.get("kind"))


def _material_key(m: Mapping[str, Any]) -> Any:
    return m.get("name")


def _impact_key(i: Mapping[str, Any]) -> Any:
    return i.get("type")


def _shape_key(shape: Mapping[str, Any]) -> Any:
    return repr(sorted(shape.items()))


def _area(old: list[dict[str, Any]], report: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the incident's shapes with the report's added (each once, `MAX_SHAPES` kept)."""
    new = [s for s in report.get("area") or [] if isinstance(s, Mapping)]
    return _union(old, new, _shape_key)[:MAX_SHAPES]


def _impacts(values: Iterable[Any]) -> list[Mapping[str, Any]]:
    """Return a report's impacts that name a type (a report is input: anything may be there)."""
    return [i for i in values if isinstance(i, Mapping) and isinstance(i.get("type"), str)]


def _strength(report: Mapping[str, Any]) -> tuple[int, float]:
    return _rank(report.get("severity")), float(report.get("confidence") or 0.0)


def _open(key: str, report: Mapping[str, Any], at: datetime, now: datetime) -> dict[str, Any]:
    item_id = str(report["id"])
    return {
        # Deterministic: a replayed first report opens the same incident, never a second one.
        "id": hashlib.sha256(f"{key}\x1f{item_id}".encode()).hexdigest()[:32],
        "cluster_key": key,
        "title": str(report.get("title") or report.get("event_type") or "incident")[:500],
        "event_type": report.get("event_type") or "other",
        "severity": report.get("severity") if report.get("severity") in SEVERITIES else "low",
        "status": "open",
        "countries": sorted(set(report.get("countries") or [])),
        "places": _union([], report.get("places") or [], _place_key),
        "materials": _union([], report.get("materials") or [], _material_key),
        "impacts": _union([], _impacts(report.get("impacts") or []), _impact_key),
        "area": _area([], report),
        "routine": bool(report.get("routine")),
        "sources": [source_of(report, at)],
        "source_count": 1,
        "evidence": list(report.get("evidence") or [])[:EVIDENCE_KEPT],
        "confidence": float(report.get("confidence") or 0.0),
        "first_seen": _iso(at),
        "last_seen": _iso(at),
        "closed_at": None,
        "version": 1,
        "updated_at": _iso(now),
    }


def _merge(inc: dict[str, Any], report: Mapping[str, Any], at: datetime) -> bool:
    """Add a disruption report to an incident; return whether it changed materially."""
    countries = sorted(set(inc["countries"]) | set(report.get("countries") or []))
    materials = _union(inc["materials"], report.get("materials") or [], _material_key)
    severity = report.get("severity") if report.get("severity") in SEVERITIES else "low"
    worse = _rank(severity) > _rank(inc["severity"])
    material = worse or countries != inc["countries"] or len(materials) > len(inc["materials"])
    # One report that is more than a routine warning makes the incident more than routine.
    graver = bool(inc.get("routine")) and not report.get("routine")
    material = material or graver
    inc["routine"] = bool(inc.get("routine")) and not graver
    if _strength(report) > (_rank(inc["severity"]), inc.get("confidence", 0.0)):
        inc["evidence"] = list(report.get("evidence") or [])[:EVIDENCE_KEPT]
        inc["confidence"] = float(report.get("confidence") or 0.0)
    if worse:
        inc["severity"] = severity
    inc["countries"], inc["materials"] = countries, materials
    inc["places"] = _union(inc["places"], report.get("places") or [], _place_key)
    # A new impact is kept quietly, like a new place: the cause and its severity drive alerts.
    inc["impacts"] = _union(
        inc.get("impacts") or [], _impacts(report.get("impacts") or []), _impact_key
    )
    inc["area"] = _area(inc.get("area") or [], report)  # kept quietly, like a place
    if material:
        inc["version"] += 1
    return material


def _add_source(
    inc: dict[str, Any], report: Mapping[str, Any], at: datetime, now: datetime
) -> dict[str, Any]:
    """Add the report to the incident's sources (first and latest kept); return its source."""
    source = source_of(report, at)
    kept = sorted([*inc["sources"], source], key=lambda s: s["published"])
    if len(kept) > SOURCES_KEPT:
        kept = [kept[0], *kept[len(kept) - SOURCES_KEPT + 1 :]]
    inc["sources"] = kept
    inc["source_count"] = source_count(inc) + 1
    inc["first_seen"] = min(inc["first_seen"], _iso(at))
    inc["last_seen"] = max(inc["last_seen"], _iso(at))
    inc["updated_at"] = _iso(now)
    return source


def source_count(inc: Mapping[str, Any]) -> int:
    """Return how many reports an incident has (older states only listed their sources)."""
    return int(inc.get("source_count") or len(inc.get("sources") or []))


def _close(inc: dict[str, Any], at: datetime, now: datetime) -> None:
    inc["status"], inc["closed_at"], inc["updated_at"] = "closed", _iso(at), _iso(now)
    inc["version"] += 1


def _known(state: Mapping[str, Any], item_id: str) -> bool:
    if item_id in state.get("recoveries", {}) or item_id in state.get("ids", ()):
        return True
    return any(s["item_id"] == item_id for inc in state["incidents"] for s in inc["sources"])


def _remember(state: dict[str, Any], item_id: str) -> None:
    state["ids"] = [*state.get("ids", ())[-(IDS_KEPT - 1) :], item_id]


def empty_state() -> dict[str, Any]:
    """Return a cluster with no incidents, no pending recoveries and no ids seen."""
    return {"incidents": [], "recoveries": {}, "ids": []}


def apply_report(
    state: Mapping[str, Any] | None,
    report: Mapping[str, Any],
    *,
    now: datetime,
    rules: ClusterRules,
) -> tuple[dict[str, Any], list[Change]]:
    """Apply one disruption or recovery report to its cluster; return the new state and changes.

    A report whose item id the cluster already holds changes nothing (replays, duplicates).
    """
    new = _prune(dict(state) if state else empty_state(), now, rules)
    new["incidents"] = [dict(i) for i in new["incidents"]]
    item_id = str(report["id"])
    if _known(new, item_id):
        return new, []
    _remember(new, item_id)
    at = parse_time(report.get("published"), now)
    candidates = [i for i in new["incidents"] if _matches(report, at, i, rules)]
    if report.get("recovery"):
        return _recover(new, report, at, now, candidates)
    # A recovery published after this report (seen first) ends the event it reports.
    ended = _pending_recovery(new, report, at, rules)
    live = [i for i in candidates if i["status"] == "open"]
    if live:
        inc = live[0]
        changed = _merge(inc, report, at)
        source = _add_source(inc, report, at, now)
        return new, [Change("updated" if changed else "sourced", inc, source)]
    late = [i for i in candidates if parse_time(i.get("closed_at"), now) >= at]
    if late:  # a late report of an event that has already ended: one more source, no alert
        source = _add_source(late[0], report, at, now)
        return new, [Change("sourced", late[0], source)]
    key = cluster_key(report)
    inc = _open(key, report, at, now)
    new["incidents"].append(inc)
    if ended is not None:
        _close(inc, ended, now)
        return new, [Change("closed", inc, inc["sources"][0])]
    return new, [Change("opened", inc, inc["sources"][0])]


def _recover(
    state: dict[str, Any],
    report: Mapping[str, Any],
    at: datetime,
    now: datetime,
    candidates: list[dict[str, Any]],
) -> tuple[dict[str, Any], list[Change]]:
    changes = []
    for inc in candidates:
        if inc["status"] == "open" and parse_time(inc["last_seen"], at) <= at:
            source = _add_source(inc, report, at, now)
            _close(inc, at, now)
            changes.append(Change("closed", inc, source))
    if not changes:  # nothing to close yet: remember it for a disruption that arrives late
        state["recoveries"] = {
            **state.get("recoveries", {}),
            str(report["id"]): {
                "published": _iso(at),
                "event_type": report.get("event_type") or "other",
                "places": list(report.get("places") or []),
                "countries": list(report.get("countries") or []),
                "materials": list(report.get("materials") or []),
                "first_seen": _iso(at),
                "last_seen": _iso(at),
                "seen_at": _iso(now),
            },
        }
    return state, changes


def _pending_recovery(
    state: Mapping[str, Any], report: Mapping[str, Any], at: datetime, rules: ClusterRules
) -> datetime | None:
    for rec in state.get("recoveries", {}).values():
        published = parse_time(rec["published"], at)
        if published >= at and _matches(report, at, rec, rules):
            return published
    return None


def _prune(state: dict[str, Any], now: datetime, rules: ClusterRules) -> dict[str, Any]:
    horizon = _iso(now - rules.keep_closed)
    state["incidents"] = [
        i for i in state["incidents"] if i["status"] == "open" or i["updated_at"] >= horizon
    ]
    state["recoveries"] = {
        k: v for k, v in state.get("recoveries", {}).items() if v["seen_at"] >= horizon
    }
    return state


def expire(
    state: Mapping[str, Any] | None, *, now: datetime, rules: ClusterRules
) -> tuple[dict[str, Any], list[Change]]:
    """Expire open incidents that had no report for `rules.expiry` (by arrival time)."""
    new = _prune(dict(state) if state else empty_state(), now, rules)
    new["incidents"] = [dict(i) for i in new["incidents"]]
    changes = []
    cutoff = _iso(now - rules.expiry)
    for inc in new["incidents"]:
        if inc["status"] == "open" and inc["updated_at"] < cutoff:
            inc["status"], inc["updated_at"] = "expired", _iso(now)
            inc["version"] += 1
            changes.append(Change("expired", inc))
    return new, changes
