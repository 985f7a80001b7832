"""An incident's cause and impacts in words."""

from __future__ import annotations

from monitor.incidents.describe import IMPACT_WORDS, cause, cause_and_impacts, impact_types
from monitor.vocab import IMPACTS


def test_every_impact_type_has_words() -> None:
    assert set(IMPACT_WORDS) == set(IMPACTS)


def test_the_cause_comes_first_then_each_impact_once() -> None:
    impacts = [{"type": "port_closure"}, {"type": "sailings_cancelled"}, {"type": "port_closure"}]
    incident = {"event_type": "storm", "impacts": impacts}
    assert cause_and_impacts(incident) == "storm — port closed, sailings cancelled"
    assert cause_and_impacts({"event_type": "fire_explosion"}) == "fire or explosion"
    queues = {"event_type": "port_congestion", "impacts": [{"type": "port_congestion"}]}
    assert cause_and_impacts(queues) == "port congestion"


def test_unknown_or_malformed_values_are_left_out() -> None:
    assert impact_types([{"type": "nonsense"}, "shortage", 3, {"kind": "x"}]) == ["shortage"]
    assert cause(None) == "disruption" and cause("extreme_weather") == "extreme weather"
