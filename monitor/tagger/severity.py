"""Grade a disruption low, medium, high or critical: feed hints first, then the text."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from monitor.vocab import SEVERITIES

# GDACS alert levels, CAP <severity>, USGS PAGER colours, MeteoAlarm awareness colours.
LEVELS = {
    "green": "low", "yellow": "medium", "orange": "high", "red": "critical",
    "minor": "low", "moderate": "medium", "severe": "high", "extreme": "critical",
}  # fmt: skip
_EXTRA_KEYS = ("alertlevel", "alert_level", "alert", "pager", "cap_severity", "severity",
               "awareness_level", "level")  # fmt: skip
_MAGNITUDE_KEYS = ("magnitude", "mag")

DEFAULT = "medium"
_NUMBER = r"(\d{1,3}(?:,\d{3})+|\d+)"
_FATALITIES = re.compile(
    rf"{_NUMBER}\s+(?:people\s+|persons\s+|workers\s+)?(?:were\s+|have\s+been\s+)?"
    r"(?:dead|killed|deaths|died|fatalities|lives)"
    r"|(?:killed|killing|death toll (?:rose |rises |climbs )?(?:to |of )?)"
    rf"\s*(?:at least\s+)?{_NUMBER}",
    re.I,
)
_SHARE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:%|per ?cent)\s+of\s+(?:the\s+)?(?:world'?s?|global|worldwide)", re.I
)
# Signs of a big disruption, each kind counted once: one makes it high, three critical.
# (The project's scale: low = local, hours to two days; medium = regional or days; high =
# national, weeks, a major site closed, force majeure, deaths; critical = world supply.)
_SIGNS = {
    "scale": r"nationwide|national|largest|biggest|busiest|major|main|entire|all (?:its|of)|"
    r"massive|hundreds of|thousands of|across (?:the )?(?:country|region)|state of emergency|"
    r"catastroph\w*|unprecedented|most important|record|\d[\d.]* (?:million|billion) (?:tonnes|"
    r"tons|people|homes|households|customers|residents|barrels|bags)|\d{2,3},\d{3} (?:hectares|"
    r"acres|tonnes|tons|people|homes|households|customers|residents|workers|barrels)",
    "duration": r"indefinite\w*|until further notice|(?:for|at least|up to) (?:a|one|two|"
    r"several|\d+) (?:weeks?|months?)|weeks|months|\d+-(?:week|month)|\d+ (?:weeks|months)|"
    r"(?:daily|scheduled|rolling) (?:power )?cuts",
    "force majeure": r"force majeure",
    "site stopped": r"condition zulu|(?:halt\w*|shut\w*|suspend\w*|stopp\w*|closed|"
    r"clos(?:es|ure of)|idled?) "
    r"(?:\w+ ){0,3}(?:port|ports|terminals?|plants?|mines?|canal|strait|refiner\w*|border|"
    r"smelters?|factories|factory|fabs?|operations|production|output|exports|loading)|"
    r"(?:port|terminals?|plants?|mines?|canal|strait|border|factories|production|operations) "
    r"(?:\w+ ){0,2}(?:halted|shut|suspended|stopped|closed)",
    "deaths": r"killed|dead|deaths|fatalit\w+|died",
}
_SIGN_RES = {k: re.compile(rf"\b(?:{v})\b", re.I) for k, v in _SIGNS.items()}
_WORLD = re.compile(r"\bworld'?s (?:largest|biggest|top|main|leading|most important)\b", re.I)
_DOWN = re.compile(
    r"\b(?:minor|partial\w*|limited|brief\w*|short-lived|temporar\w+|small|precaution\w*|"
    r"slight\w*|localised|localized|local|some delays|\d+ ?(?:h|hrs?|hours)|"
    r"(?:few|two|several|\d+) hours|(?:one|1|a) day|overnight|by (?:afternoon|evening))\b",
    re.I,
)


def from_hints(item: Mapping[str, Any]) -> str | None:
    """Return the severity the feed states: its hint, alert level, CAP severity or magnitude."""
    hint = item.get("severity_hint")
    if isinstance(hint, str) and hint.lower() in SEVERITIES:
        return hint.lower()
    extra = item.get("extra") or {}
    if not isinstance(extra, Mapping):
        return None
    for key in _EXTRA_KEYS:
        value = extra.get(key)
        if isinstance(value, str):
            for word in re.findall(r"[a-z]+", value.lower()):
                if word in LEVELS:
                    return LEVELS[word]
    for key in _MAGNITUDE_KEYS:
        value = extra.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return magnitude_severity(float(value))
    return None


_MAGNITUDE = re.compile(
    r"\b(?:M|Mw|EQ|magnitude|measuring)\s*(?:of\s*)?(\d(?:\.\d+)?)(?![\d.]*\s*(?:km|mi|%))", re.I
)


def magnitude(item: Mapping[str, Any], text: str) -> float | None:
    """Return an earthquake's magnitude from the feed's fields, else from the text."""
    extra = item.get("extra") or {}
    if isinstance(extra, Mapping):
        for key in _MAGNITUDE_KEYS:
            value = extra.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                return float(value)
    found = _MAGNITUDE.search(text)
    return float(found.group(1)) if found else None


def magnitude_severity(value: float) -> str:
    """Grade an earthquake by magnitude when no PAGER level is given."""
    if value >= 8.0:
        return "critical"
    if value >= 7.5:
        return "high"
    if value >= 6.5:
        return "medium"
    return "low"


def from_text(text: str) -> tuple[str, list[tuple[int, int, str]]]:
    """Grade by what the text says: scale, duration, force majeure, deaths, world share.

    Return the severity and the (start, end, why) spans that raised or lowered it.
    """
    points, critical, spans = 0, False, []
    for kind, pattern in _SIGN_RES.items():
        found = pattern.search(text)
        if found is not None:
            points += 1
            spans.append((found.start(), found.end(), f"severity: {kind}"))
    for m in _FATALITIES.finditer(text):
        if int((m.group(1) or m.group(2)).replace(",", "")) >= 100:
            critical = True
            spans.append((m.start(), m.end(), "severity: mass fatalities"))
            break
    for m in [*_SHARE.finditer(text), *_WORLD.finditer(text)]:
        if m.re is _WORLD or float(m.group(1)) >= 15:
            critical = True
            spans.append((m.start(), m.end(), "severity: share of world supply"))
            break
    if critical or points >= 3:
        return "critical", spans
    if points:
        return "high", spans
    down = _DOWN.search(text)
    if down is not None:
        spans.append((down.start(), down.end(), "severity: limited scale"))
        return "low", spans
    return DEFAULT, spans
