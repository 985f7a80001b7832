"""Hazard areas: shapes from feed geometry, and how far a point lies from them."""

from __future__ import annotations

import math

from monitor.areas import bbox, circle, distance_km, polygon, reach, shaking_radius_km

# The OASIS CAP example's thunderstorm polygon (tests/fixtures/cap/oasis/example2.xml).
STORM = polygon([(38.47, -120.14), (38.34, -119.95), (38.52, -119.74), (38.62, -119.89),
                 (38.47, -120.14)])  # fmt: skip


def test_a_point_inside_a_polygon_is_at_zero_and_one_outside_at_its_distance() -> None:
    assert STORM is not None
    assert distance_km(38.48, -119.93, STORM) == 0
    # 0.2° of latitude south of the southern vertex (38.34, -119.95): about 22 km.
    assert 21 < distance_km(38.14, -119.95, STORM) < 23
    assert reach(38.14, -119.95, 50, [STORM]) > 20 and reach(38.14, -119.95, 10, [STORM]) == -1


def test_circles_and_boxes() -> None:
    ring = circle(51.0, 4.0, 100)
    assert ring is not None and distance_km(51.5, 4.0, ring) == 0
    assert 10 < distance_km(52.0, 4.0, ring) < 12  # 111 km from the centre
    box = bbox([-58.461, -23.682, -50.461, -15.682])
    assert box is not None and distance_km(-20.0, -55.0, box) == 0
    assert 100 < distance_km(-20.0, -49.461, box) < 110  # 1° east of the box at 20° S
    wraps = bbox([170.0, -20.0, -170.0, -10.0])  # crosses the antimeridian
    assert wraps is not None and distance_km(-15.0, 179.5, wraps) == 0


def test_unusable_geometry_gives_no_shape() -> None:
    assert polygon([(1, 2), (3, 4)]) is None and polygon([(91, 0), (0, 0), (1, 1)]) is None
    assert circle(0, 0, 0) is None and circle(0, 200, 5) is None
    assert bbox([1, 2, 3]) is None and bbox([0, 10, 1, 5]) is None
    assert bbox([0, 0, math.nan, 1]) is None
    # GDACS gave SARAI-19 (a cyclone by Fiji, -20.5, -178.8) a box in the South Atlantic.
    assert bbox([-35.59, -32.20, -9.59, -6.20], near=(-20.5, -178.8)) is None
    assert bbox([33.087, -48.5653, 41.087, -40.5653], near=(-44.5653, 37.087)) is not None
    assert distance_km(0, 0, {"kind": "hexagon"}) == math.inf


def test_the_shaking_radius_grows_with_the_magnitude() -> None:
    radii = [shaking_radius_km(m) for m in (5, 6, 7, 8)]
    assert radii == sorted(radii) and 15 < radii[0] < 25 and 120 < radii[2] < 170
