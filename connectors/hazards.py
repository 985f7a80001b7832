"""Hazard vocabularies of the sources mapped onto the shared event types and severities."""

from __future__ import annotations

import re

# CAP <severity> (also NWS and MeteoAlarm): the four CAP levels map one to one.
CAP_SEVERITY = {"extreme": "critical", "severe": "high", "moderate": "medium", "minor": "low"}

# GDACS alert levels: Green = little impact expected, Orange = may need international help,
# Red = needs it. GDACS has only three levels, so "medium" is never produced.
GDACS_SEVERITY = {"green": "low", "orange": "high", "red": "critical"}
GDACS_EVENT = {
    "EQ": "earthquake", "TC": "storm", "FL": "flood", "VO": "volcano", "DR": "drought",
    "WF": "wildfire", "TS": "other",  # TS = tsunami, see EVENT_KEYWORDS
}  # fmt: skip

# USGS PAGER alert levels (estimated fatalities and losses).
PAGER_SEVERITY = {"green": "low", "yellow": "medium", "orange": "high", "red": "critical"}

# Hazard names (CAP <event>, NWS event, MeteoAlarm awareness types) → shared event type.
# First match wins, so specific names come before general ones. Tsunami maps to `other`:
# it is neither the earthquake that caused it nor a river flood, and the tagger still sees
# the text. Air quality and public-safety alerts (AMBER, homeland security) are `other` too.
EVENT_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("tsunami", "other"),
    ("earthquake|seismic", "earthquake"),
    ("volcan|ash ?fall", "volcano"),
    ("flood|hydrolog|storm surge|coastal ?event|high water", "flood"),
    ("drought", "drought"),
    ("red flag|fire weather|forest.?fire|wild.?fire|bush.?fire|grass.?fire", "wildfire"),
    ("structure fire|explosion|hazardous material|chemical|nuclear|radiolog", "fire_explosion"),
    ("^fire$", "wildfire"),  # CAP-AU bushfire alerts name the event just "Fire"
    ("winter storm|ice storm|snow ?storm|blizzard", "extreme_weather"),  # snow and ice
    ("hurricane|typhoon|cyclone|tropical storm|tropical depression|tornado|thunderstorm"
     "|wind|gale|squall|storm", "storm"),
    ("snow|ice|freez|frost|cold|heat|temperature|fog|avalanche|rain|dust|hail|winter"
     "|weather", "extreme_weather"),
    ("road|closure|closed|traffic|bridge", "route_blockage"),
    ("power outage|blackout", "power_outage"),
    ("air quality|amber|child abduction|homeland|terror|civil|test|advisory", "other"),
)  # fmt: skip
_COMPILED = tuple((re.compile(pattern, re.IGNORECASE), kind) for pattern, kind in EVENT_KEYWORDS)


def event_type(*names: str | None) -> str | None:
    """Return the shared event type of the first name that the keyword table recognises."""
    for name in names:
        if not name:
            continue
        for pattern, kind in _COMPILED:
            if pattern.search(name.strip()):
                return kind
    return None


def cap_severity(value: str | None) -> str | None:
    """Return the shared severity of a CAP severity word (Unknown and empty give None)."""
    return CAP_SEVERITY.get((value or "").strip().lower())
