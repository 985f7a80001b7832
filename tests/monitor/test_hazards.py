"""What hazard feeds' real items say about their area and whether they are routine."""

from __future__ import annotations

from typing import Any

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
    track = next(i for t, i in items.items() if "PHANFONE" in t)  # just west of its track's box
    assert item_area(track) == [{"kind": "bbox", "bbox": track["bbox"]}]


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
    assert hazard_fields({"id": "x", "kind": "rss"}) == {"area": [], "routine": False}
