"""The mapping tables from source vocabularies to the shared event types and severities."""

from __future__ import annotations

import pytest

from connectors.hazards import (
    CAP_SEVERITY,
    GDACS_EVENT,
    GDACS_SEVERITY,
    PAGER_SEVERITY,
    cap_severity,
    event_type,
)
from monitor.vocab import EVENT_TYPES, SEVERITIES


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Flood Warning", "flood"),
        ("Flash Flood Watch", "flood"),
        ("Tsunami Warning", "other"),
        ("Earthquake", "earthquake"),
        ("Ashfall Advisory", "volcano"),
        ("Red Flag Warning", "wildfire"),
        ("forest-fire", "wildfire"),
        ("Fire", "wildfire"),
        ("Structure Fire", "fire_explosion"),
        ("Hurricane Warning", "storm"),
        ("Yellow wind warning", "storm"),
        ("Winter Storm Warning", "extreme_weather"),  # snow and ice, as the tagging guide says
        ("Blizzard Warning", "extreme_weather"),
        ("Tropical Storm Warning", "storm"),
        ("Excessive Heat Warning", "extreme_weather"),
        ("snow-ice", "extreme_weather"),
        ("Dense Fog Advisory", "extreme_weather"),
        ("ROAD CLOSURE: State Hwy 218", "route_blockage"),
        ("Air Quality Alert", "other"),
        ("Child Abduction", "other"),
        ("Žuto upozorenje za vjetar", None),
        ("", None),
    ],
)
def test_event_names(name: str, expected: str | None) -> None:
    assert event_type(name) == expected


def test_later_names_are_fallbacks() -> None:
    assert event_type(None, "Žuto upozorenje", "Wind") == "storm"


def test_tables_use_the_shared_vocabularies() -> None:
    for table in (CAP_SEVERITY, GDACS_SEVERITY, PAGER_SEVERITY):
        assert set(table.values()) <= set(SEVERITIES)
    assert set(GDACS_EVENT.values()) <= set(EVENT_TYPES)
    assert cap_severity(" Extreme ") == "critical" and cap_severity("Unknown") is None
