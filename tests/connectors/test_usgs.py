"""USGS earthquake GeoJSON: magnitude, PAGER alert, depth, tsunami flag, countries."""

from __future__ import annotations

import json

import pytest

from connectors import registry
from connectors.base import ParseError
from tests.samples import fixture_bytes, parse_fixture


def test_past_day_feed() -> None:
    items = parse_fixture("usgs/usgs_all_earthquakes_past_day.json")
    assert len(items) == 188
    first = items[0]
    assert first.title == "M 2.0 - 132km WNW of Arctic Village, Alaska"
    assert first.extra["mag"] == 2.0
    assert (first.lat, first.lon, first.extra["depth_km"]) == (68.7636, -148.2799, 0.1)
    assert first.published == "2018-09-16T04:00:31Z"
    assert first.country_hint == ["US"]
    assert first.event_hint == "earthquake"
    assert first.severity_hint is None  # no PAGER alert for small quakes


def test_pager_alert_sets_severity() -> None:
    items = parse_fixture("usgs/usgs_all_earthquakes_past_day.json")
    alerted = [i for i in items if i.severity_hint]
    assert [(i.extra["mag"], i.extra["alert"], i.severity_hint) for i in alerted] == [
        (5.5, "green", "low"), (5.6, "green", "low"), (5.5, "green", "low"),
    ]  # fmt: skip
    assert alerted[0].country_hint == ["JP"]
    assert "PAGER alert level green" in alerted[0].body


def test_week_feed_with_yellow_alert_and_negative_magnitudes() -> None:
    items = parse_fixture("usgs/all_week.geojson")
    assert len(items) == 1718
    [blenheim] = [i for i in items if i.extra.get("usgs_id") == "usb000j4j6"]
    assert blenheim.extra["mag"] == 5.7 and blenheim.severity_hint == "medium"  # yellow
    assert blenheim.country_hint == ["NZ"]
    assert min(i.extra["mag"] for i in items if "mag" in i.extra) == -0.5


def test_hand_written_features_with_null_magnitude() -> None:
    items = parse_fixture("usgs/earthquakes-1.json")
    assert [i.extra.get("mag") for i in items] == [3.0, 1.25, None]
    assert items[2].title == "Title 3"
    assert items[2].body.startswith("Earthquake. Place 3")
    assert items[2].severity_hint is None  # "Alert 3" is not a PAGER level


def test_tsunami_flag_and_us_state_codes() -> None:
    feature = {
        "type": "Feature",
        "id": "ci1",
        "properties": {"mag": 7.1, "place": "10km N of Ridgecrest, CA", "time": 0,
                       "alert": "red", "tsunami": 1, "type": "earthquake"},
        "geometry": {"type": "Point", "coordinates": [-117.6, 35.7, 8.0]},
    }  # fmt: skip
    body = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    [item] = registry.parse(body)
    assert item.kind == "usgs"
    assert item.country_hint == ["US"]  # "CA" is California here, not Canada
    assert item.severity_hint == "critical"
    assert item.extra["tsunami"] is True and "tsunami possible" in item.body


def test_empty_collection() -> None:
    assert parse_fixture("usgs/earthquakes-2.json") == []


@pytest.mark.parametrize("body", [b'{"type": "FeatureCollection", "feat', b"[]", b'{"type": "x"}'])
def test_bad_json_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        registry.parse(body, kind="usgs")


def test_ids_come_from_the_usgs_event_id() -> None:
    body = fixture_bytes("usgs/earthquakes-1.json")
    assert registry.parse(body, feed_id=1)[0].id == registry.parse(body, feed_id=1)[0].id
    assert registry.parse(body, feed_id=1)[0].id != registry.parse(body, feed_id=2)[0].id
