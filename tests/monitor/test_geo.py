"""Distances, radius boxes and gazetteer look-ups."""

from __future__ import annotations

import math

import pytest

from monitor.geo import bounding_box, geocode, haversine_km


def test_haversine_matches_a_known_distance() -> None:
    # Abidjan to Accra is about 410 km as the crow flies.
    assert haversine_km(5.354, -4.002, 5.556, -0.197) == pytest.approx(421, abs=10)


@pytest.mark.parametrize(("lat", "lon", "r"), [(5.3, -4.0, 100), (60.0, 179.5, 300), (-89, 0, 50)])
def test_bounding_box_contains_every_point_of_the_circle(lat: float, lon: float, r: float) -> None:
    box = bounding_box(lat, lon, r)
    for bearing in range(0, 360, 15):
        # Walk to the circle's edge along a bearing and check the end point is in the box.
        d = r / 6371.0088
        b = math.radians(bearing)
        p1, l1 = math.radians(lat), math.radians(lon)
        p2 = math.asin(math.sin(p1) * math.cos(d) + math.cos(p1) * math.sin(d) * math.cos(b))
        l2 = l1 + math.atan2(
            math.sin(b) * math.sin(d) * math.cos(p1), math.cos(d) - math.sin(p1) * math.sin(p2)
        )
        elat, elon = math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180
        assert haversine_km(lat, lon, elat, elon) == pytest.approx(r, rel=1e-3)
        assert box.contains(elat, elon)
    assert not box.contains(lat + 5 if lat < 80 else lat - 5, lon)


def test_geocode_finds_a_city_by_name_or_alias() -> None:
    hit = geocode(city="Coomassie", country="gh")
    assert hit.found
    assert hit.matched == "Kumasi"
    assert hit.lat == pytest.approx(6.69, abs=0.05)


def test_geocode_says_when_not_found() -> None:
    miss = geocode(city="Kumasi", country="CI")
    assert not miss.found
    assert miss.lat is None
    assert "not in the gazetteer" in (miss.reason or "")
