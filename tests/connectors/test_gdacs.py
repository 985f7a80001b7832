"""GDACS RSS: event types, alert levels, severity, countries, point and bbox."""

from __future__ import annotations

from collections import Counter

import pytest

from connectors import registry
from connectors.base import ParseError
from tests.samples import parse_fixture


def test_orange_drought_in_australia() -> None:
    items = parse_fixture("gdacs/gdacs-rss.xml")
    [drought] = [i for i in items if i.extra.get("eventid") == "1013281"]
    assert drought.title == "Drought is on going in Australia"
    assert drought.event_hint == "drought"
    assert drought.severity_hint == "high"  # GDACS Orange
    assert drought.country_hint == ["AU"]
    assert (drought.lat, drought.lon) == (-29.474, 149.841)
    assert drought.bbox == [145.841, -33.474, 153.841, -25.474]
    assert drought.published == "2019-12-30T01:27:00Z"
    assert drought.extra["alertlevel"] == "Orange"
    assert drought.extra["alertscore"] == 2.0
    assert drought.extra["severity_value"] == 762961.0
    assert drought.extra["severity_unit"] == "km2"
    assert drought.extra["episodeid"] == "14"
    assert drought.extra["fromdate"] == "2019-06-21T00:00:00Z"
    assert drought.extra["iscurrent"] is False


def test_the_levels_of_a_whole_feed() -> None:
    items = parse_fixture("gdacs/gdacs-rss.xml")
    counts = Counter((i.extra["eventtype"], i.severity_hint) for i in items)
    assert counts == {
        ("TC", "low"): 2, ("TC", "high"): 1, ("EQ", "low"): 2, ("DR", "low"): 4, ("DR", "high"): 7,
    }  # fmt: skip
    assert {i.event_hint for i in items} == {"storm", "earthquake", "drought"}


def test_cyclone_countries_and_wind_severity() -> None:
    cyclone = parse_fixture("gdacs/gdacs-1.xml")[0]
    assert cyclone.event_hint == "storm"
    assert cyclone.severity_hint == "low"
    assert cyclone.country_hint == ["MU"]
    assert cyclone.extra["severity_value"] == 92.592
    assert cyclone.extra["severity_unit"] == "km/h"
    assert cyclone.language == "en"


def test_several_countries_from_names_and_iso3() -> None:
    items = parse_fixture("gdacs/gdacs-rss-24h.xml")
    southern_africa = next(i for i in items if i.extra.get("eventid") == "1012728")
    assert southern_africa.country_hint == ["AO", "BW", "LS", "MZ", "NA", "ZA", "ZM", "ZW"]


def test_volcano_in_the_seven_day_feed() -> None:
    items = parse_fixture("gdacs/gdacs-rss-7d.xml")
    assert len(items) == 115
    assert [i.event_hint for i in items if i.extra.get("eventtype") == "VO"] == ["volcano"]
    assert len({i.id for i in items}) == len(items)


def test_bbox_only_entry_is_kept_without_a_point() -> None:
    [item] = parse_fixture("gdacs/gdacs-2.xml")
    assert item.lat is None and item.lon is None
    assert item.bbox == [55.0780533046962, -46.7828750315965, 81.0780533046962, -20.7828750315965]
    assert item.event_hint is None and item.severity_hint is None


def test_malformed_gdacs_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="malformed XML"):
        registry.parse(b'<rss xmlns:gdacs="http://www.gdacs.org"><channel><item>', kind="gdacs")
