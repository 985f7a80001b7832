"""What hazard feeds' real items say about their area and whether they are routine."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from monitor.areas import MAX_SHAPES, distance_km
from monitor.hazards import hazard_fields, is_routine, item_area
from tests.samples import parse_fixture


def _items(relative: str, kind: str | None = None) -> list[dict[str, Any]]:
    return [item.to_dict() for item in parse_fixture(relative, kind)]


def test_a_cap_polygon_and_a_cap_circle_become_the_area() -> None:
    [storm] = _items("cap/oasis/example2.xml")
    [shape] = item_area(storm)
    assert shape["kind"] == "polygon" and shape["points"][0] == [38.47, -120.14]
    fire = _items("cap/google-cap-library/australia.cap")[0]
    assert item_area(fire)[0] == {"kind": "circle", "lat": -35.3888, "lon": 147.0598,
                                  "radius_km": 25.0}  # fmt: skip


def test_a_usgs_quake_covers_its_shaking_radius() -> None:
    quakes = _items("usgs/usgs_all_earthquakes_past_day.json", "usgs")
    big = max(quakes, key=lambda q: q["extra"].get("mag") or 0)
    [shape] = item_area(big)
    assert shape["kind"] == "circle" and (shape["lat"], shape["lon"]) == (big["lat"], big["lon"])
    small = min(quakes, key=lambda q: q["extra"].get("mag") or 9)
    assert item_area(small)[0]["radius_km"] < shape["radius_km"]


def test_a_gdacs_box_is_the_area_unless_it_lies_away_from_the_event() -> None:
    brazil = next(i for i in _items("gdacs/gdacs-rss-24h.xml") if "Brazil" in i["title"])
    assert item_area(brazil) == [{"kind": "bbox", "bbox": brazil["bbox"]}]
    items = {i["title"].split(".")[0]: i for i in _items("gdacs/gdacs-rss.xml")}
    sarai = next(i for t, i in items.items() if "SARAI" in t)  # by Fiji, its box in the Atlantic
    assert item_area(sarai) == []
    track = next(i for t, i in items.items() if "PHANFONE" in t)  # a box of its whole track
    assert track["bbox"] and item_area(track) == []
    quake = next(i for t, i in items.items() if "earthquake" in t)  # 5.5 M: shaking, not box
    assert item_area(quake) == [{"kind": "circle", "lat": quake["lat"], "lon": quake["lon"],
                                 "radius_km": 32.7}]  # fmt: skip


def test_yellow_and_moderate_weather_warnings_are_routine_others_not() -> None:
    poland = _items("cap/meteoalarm/meteoalarm-legacy-atom-poland.xml")
    assert poland and all(is_routine(i) for i in poland if "Yellow" in i["title"])
    croatia = _items("cap/meteoalarm/croatia.json")
    assert croatia and all(is_routine(i) == ("yellow" in i["title"].lower()) for i in croatia)
    [severe] = _items("cap/oasis/example2.xml")  # Severe thunderstorm warning
    assert not is_routine(severe)
    [quake] = _items("cap/oasis/example3.xml")  # Minor, but an earthquake (Geo), not weather
    assert not is_routine(quake)
    assert not any(is_routine(i) for i in _items("gdacs/gdacs-rss.xml"))
    assert hazard_fields({"id": "x", "kind": "rss"}, []) == {
        "area": [], "routine": False, "places": []}  # fmt: skip


def test_an_nws_alert_without_a_polygon_covers_its_counties() -> None:
    [wind] = _items("nws/sample.json", "nws")  # seven Colorado counties by FIPS, two zones
    assert wind["extra"]["geocodes"]["FIPS6"][0] == "008013"
    shapes = item_area(wind)
    assert shapes and {s["kind"] for s in shapes} == {"polygon"}
    assert min(distance_km(40.015, -105.27, s) for s in shapes) == 0  # Boulder
    assert min(distance_km(39.74, -104.99, s) for s in shapes) > 0  # Denver, not listed
    [tornado] = _items("nws/sample_alert.json", "nws")  # Hillsborough County, Florida
    assert min(distance_km(27.95, -82.46, s) for s in item_area(tornado)) == 0  # Tampa
    assert min(distance_km(28.54, -81.38, s) for s in item_area(tornado)) > 0  # Orlando


def test_a_cap_polygon_wins_over_its_county_codes() -> None:
    [storm] = _items("cap/oasis/example2.xml")  # a storm polygon inside three counties
    assert storm["extra"]["geocodes"]["SAME"] and len(item_area(storm)) == 1


def test_us_codes_add_their_state_to_the_places_once() -> None:
    [wind] = _items("nws/sample.json", "nws")
    colorado = {"name": "Colorado", "country": "US", "kind": "subdivision",
                "subdivision": "US-CO", "locode": None, "lat": None, "lon": None}  # fmt: skip
    assert hazard_fields(wind, [])["places"] == [colorado]
    named = [{**colorado, "lat": 39.0, "lon": -105.5}]  # the text named Colorado already
    assert hazard_fields(wind, named)["places"] == named
    meteoalarm = _items("cap/meteoalarm/meteoalarm-legacy-atom-poland.xml")[0]
    assert hazard_fields(meteoalarm, [])["places"] == []


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=4),
    max_leaves=20,
)  # fmt: skip


@given(extra=st.dictionaries(st.sampled_from(["geocodes", "polygons", "circles", "mag"]), JSON),
       places=st.lists(JSON, max_size=3))  # fmt: skip
def test_any_extra_gives_fields_without_failing(extra: dict, places: list) -> None:
    item = {"id": "x", "kind": "nws", "extra": extra}
    fields = hazard_fields(item, places)
    assert len(fields["area"]) <= MAX_SHAPES and fields["places"][: len(places)] == places
