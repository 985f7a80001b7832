"""Decide which buyers an incident alerts: once when it opens, again when worse, an all-clear.

`previous` is what each buyer was last alerted about for this incident (kept by the stream in a
table keyed by incident id), so a replayed or unchanged incident alerts nobody twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from monitor.incidents.describe import cause_and_impacts, impact_types
from monitor.matching.index import Match
from monitor.vocab import SEVERITIES

SCHEMA = 1


@dataclass(frozen=True)
class AlertDecision:
    """One alert to send: to whom, of which kind, and what overlapped."""

    buyer_id: int
    kind: str  # new, worse or all_clear
    watch: dict[str, Any]
    materials: tuple[str, ...]
    places: tuple[str, ...]
    watches: tuple[dict[str, Any], ...] = ()


def _rank(severity: Any) -> int:
    return SEVERITIES.index(severity) if severity in SEVERITIES else 0


def _by_buyer(matches: list[Match]) -> dict[int, AlertDecision]:
    grouped: dict[int, list[Match]] = {}
    for m in matches:
        grouped.setdefault(m.spec.buyer_id, []).append(m)
    out = {}
    for buyer, hits in grouped.items():
        # A written watch explains an alert better than an implicit supplier one.
        hits.sort(key=lambda m: (m.spec.watch_id is None, m.spec.key))
        materials = tuple(sorted({x for m in hits for x in m.materials}))
        places = tuple(dict.fromkeys(p for m in hits for p in m.places))
        watches = tuple(m.spec.describe() for m in hits)
        out[buyer] = AlertDecision(buyer, "new", watches[0], materials, places, watches)
    return out


def decide_alerts(
    incident: Mapping[str, Any],
    matches: list[Match],
    previous: Mapping[str, Mapping[str, Any]] | None,
) -> tuple[list[AlertDecision], dict[str, dict[str, Any]]]:
    """Return the alerts to send for this incident state, and the new per-buyer record."""
    record: dict[str, dict[str, Any]] = {k: dict(v) for k, v in (previous or {}).items()}
    decisions: list[AlertDecision] = []
    status = incident.get("status")
    if status == "closed":
        for buyer_key, sent in sorted(record.items()):
            if sent.get("kind") != "all_clear":
                decisions.append(
                    AlertDecision(int(buyer_key), "all_clear", sent.get("watch") or {},
                                  tuple(sent.get("materials") or ()),
                                  tuple(sent.get("places") or ()))
                )  # fmt: skip
                sent["kind"] = "all_clear"
        return decisions, record
    if status != "open":  # expired: it faded without a recovery report; nothing to say
        return [], record
    severity = incident.get("severity")
    for buyer_id, found in sorted(_by_buyer(matches).items()):
        last = record.get(str(buyer_id))
        kind = "new"
        if last is not None:
            worse = _rank(severity) > _rank(last.get("severity"))
            wider = not set(found.materials) <= set(last.get("materials") or ())
            wider = wider or not set(found.places) <= set(last.get("places") or ())
            if last.get("kind") == "all_clear" or not (worse or wider):
                continue
            kind = "worse"
        decisions.append(AlertDecision(buyer_id, kind, found.watch, found.materials, found.places,
                                       found.watches))  # fmt: skip
        record[str(buyer_id)] = {
            "kind": kind,
            "severity": severity,
            "materials": sorted(set(found.materials) | set((last or {}).get("materials") or ())),
            "places": list(dict.fromkeys([*(last or {}).get("places", []), *found.places])),
            "watch": found.watch,
        }
    return decisions, record


SUPPLIER_FIELDS = ("id", "name", "country", "city", "score", "reasons", "substitute_for")


def shape_suggestions(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return `for_incident` results in DESIGN's alert shape: `{material, suppliers}`."""
    return [
        {
            "material": r["material"],
            "suppliers": [{k: s.get(k) for k in SUPPLIER_FIELDS}
                          for s in r.get("suggestions") or []],
            "message": r.get("message") or "",
        }
        for r in results
    ]  # fmt: skip


def alert_message(
    decision: AlertDecision,
    incident: Mapping[str, Any],
    suggestions: list[dict[str, Any]],
) -> dict[str, Any]:
    """Return the alert as it goes on the `alerts` topic (DESIGN.md's shape plus `kind`)."""
    version = int(incident.get("version") or 1)
    feed_ids = sorted({s["feed_id"] for s in incident.get("sources") or []
                       if isinstance(s.get("feed_id"), int)})  # fmt: skip
    return {
        "schema": SCHEMA,
        "id": f"{decision.buyer_id}:{incident['id']}:{version}",
        "buyer_id": decision.buyer_id,
        "incident_id": incident["id"],
        "incident_version": version,
        "watch_id": decision.watch.get("id"),
        "kind": decision.kind,
        "severity": incident.get("severity") or "low",
        "status": "new",
        "why": {
            "cause": cause_and_impacts(incident),  # "storm — port closed"
            "impacts": impact_types(incident.get("impacts") or []),
            "watch": decision.watch,
            "watches": list(decision.watches),
            "materials": list(decision.materials),
            "places": list(decision.places),
            "evidence": list(incident.get("evidence") or []),
        },
        "suggestions": shape_suggestions(suggestions),
        "incident": dict(incident),
        "feed_ids": feed_ids,
    }
