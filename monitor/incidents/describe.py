"""An incident's cause and impacts in words, as alerts, e-mails and the dashboard show them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

# What happened to supply (monitor.vocab.IMPACTS), as a buyer reads it.
IMPACT_WORDS = {
    "port_closure": "port closed",
    "port_congestion": "port congestion",
    "route_blockage": "route blocked",
    "sailings_cancelled": "sailings cancelled",
    "production_halt": "production halted",
    "power_outage": "power cut",
    "export_halt": "exports halted",
    "transport_suspension": "transport suspended",
    "shortage": "shortage",
}
# Event types whose name does not read as words once its underscore is a space.
EVENT_WORDS = {
    "fire_explosion": "fire or explosion",
    "piracy_attack": "attack on shipping",
    "pandemic_lockdown": "lockdown",
    "recall_contamination": "recall or contamination",
    "other": "disruption",
}


def impact_types(impacts: Iterable[Any]) -> list[str]:
    """Return the known impact types listed, once each, in order."""
    found = (i.get("type") if isinstance(i, Mapping) else i for i in impacts or ())
    return list(dict.fromkeys(t for t in found if t in IMPACT_WORDS))


def cause(event_type: Any) -> str:
    """Return an event type in words ("port congestion", "fire or explosion")."""
    if not isinstance(event_type, str) or not event_type:
        return EVENT_WORDS["other"]
    return EVENT_WORDS.get(event_type, event_type.replace("_", " "))


def cause_and_impacts(incident: Mapping[str, Any]) -> str:
    """Return "storm — port closed, sailings cancelled": the cause, then what it did to supply."""
    what = cause(incident.get("event_type"))
    words = [IMPACT_WORDS[t] for t in impact_types(incident.get("impacts") or [])]
    words = [w for w in words if w != what]  # port congestion — port congestion says it once
    return f"{what} — {', '.join(words)}" if words else what
