"""Hazard areas: the ground a feed says an alert covers, and how far a point lies from it.

A hazard feed gives more than a country: CAP and NWS polygons and circles, GDACS bounding
boxes, a USGS epicentre whose strong shaking reaches farther as the magnitude grows. An item's
area is a list of shapes, plain JSON so that it travels on the topics and lands in the
database as it is:
`{"kind": "polygon", "points": [[lat, lon], ...]}`, `{"kind": "circle", "lat", "lon",
"radius_km"}` and `{"kind": "bbox", "bbox": [min_lon, min_lat, max_lon, max_lat]}`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from monitor.geo import KM_PER_DEGREE_LAT, haversine_km

MAX_SHAPES = 40  # shapes an item or an incident keeps (an NWS alert's counties, for one)
MAX_POINTS = 100  # points a polygon keeps (evenly thinned beyond that)
# A GDACS box whose own point lies farther outside it than this is not about that event
# (a cyclone's box holds its forecast track: its current position may sit just outside).
BBOX_SLACK_KM = 300.0
# A box wider or taller than this locates nothing: GDACS gives a cyclone's whole track (26° of
# latitude and longitude for PHANFONE-19), which would alert sites a thousand km from it.
MAX_BBOX_KM = 1500.0


def shaking_radius_km(magnitude: float) -> float:
    """Return how far strong shaking (MMI VI and up) reaches, roughly, for a magnitude.

    log10(r) = 0.43 M - 0.85: about 20 km at M5, 55 km at M6, 145 km at M7 and 390 km at M8,
    in line with the felt-intensity radii of USGS ShakeMaps for shallow earthquakes.
    """
    return round(10 ** (0.43 * magnitude - 0.85), 1)


def _point(lat: Any, lon: Any) -> tuple[float, float] | None:
    numbers = isinstance(lat, int | float) and isinstance(lon, int | float)
    if numbers and -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lat), float(lon)
    return None


def _thin(points: list[list[float]]) -> list[list[float]]:
    if len(points) <= MAX_POINTS:
        return points
    step = len(points) / MAX_POINTS
    return [points[int(i * step)] for i in range(MAX_POINTS)]


def polygon(points: Iterable[Any]) -> dict[str, Any] | None:
    """Return a polygon shape from (lat, lon) pairs, or None when fewer than three are valid."""
    ring = [[p[0], p[1]] for pair in points
            if isinstance(pair, Sequence) and len(pair) == 2 and (p := _point(*pair))]  # fmt: skip
    return {"kind": "polygon", "points": _thin(ring)} if len(ring) >= 3 else None


def circle(lat: Any, lon: Any, radius_km: Any) -> dict[str, Any] | None:
    """Return a circle shape, or None for a bad centre or a radius that is not positive."""
    centre = _point(lat, lon)
    if centre is None or not isinstance(radius_km, int | float) or not 0 < radius_km < 20000:
        return None
    return {"kind": "circle", "lat": centre[0], "lon": centre[1], "radius_km": float(radius_km)}


def bbox(box: Any, near: tuple[float, float] | None = None) -> dict[str, Any] | None:
    """Return a box shape from [min_lon, min_lat, max_lon, max_lat], or None when unusable.

    A box that its own item's point (`near`) lies well outside of is refused: the feed mixed
    up two events' geometry, and an area about somewhere else would alert the wrong buyers.
    So is one over `MAX_BBOX_KM` across, which says only roughly where an event is.
    """
    if not isinstance(box, Sequence) or len(box) != 4:
        return None
    if not all(isinstance(v, int | float) and math.isfinite(v) for v in box):
        return None
    min_lon, min_lat, max_lon, max_lat = (float(v) for v in box)
    if not (-90 <= min_lat <= max_lat <= 90 and -180 <= min_lon <= 180 and -180 <= max_lon <= 180):
        return None
    shape = {"kind": "bbox", "bbox": [min_lon, min_lat, max_lon, max_lat]}
    middle = (min_lat + max_lat) / 2
    span_lon = (max_lon - min_lon) % 360
    tall = haversine_km(min_lat, min_lon, max_lat, min_lon)
    wide = haversine_km(middle, 0.0, middle, min(span_lon, 180.0)) if span_lon else 0.0
    if max(tall, wide) > MAX_BBOX_KM or span_lon > 180:
        return None
    if near is not None and distance_km(near[0], near[1], shape) > BBOX_SLACK_KM:
        return None
    return shape


def _local_km(lat0: float) -> tuple[float, float]:
    """Return km per degree of latitude and of longitude around latitude `lat0`."""
    return KM_PER_DEGREE_LAT, KM_PER_DEGREE_LAT * max(math.cos(math.radians(lat0)), 1e-6)


def _wrap(dlon: float) -> float:
    return (dlon + 180.0) % 360.0 - 180.0


def _inside_ring(lat: float, lon: float, ring: Sequence[Sequence[float]]) -> bool:
    inside = False
    for (y0, x0), (y1, x1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        if (y0 > lat) != (y1 > lat):
            x = x0 + (lat - y0) * (x1 - x0) / (y1 - y0)
            inside ^= _wrap(x - lon) > 0
    return inside


def _to_ring(lat: float, lon: float, ring: Sequence[Sequence[float]]) -> float:
    """Return the distance from a point to a ring's edges, in a plane around the point."""
    ky, kx = _local_km(lat)
    xy = [(_wrap(p[1] - lon) * kx, (p[0] - lat) * ky) for p in ring]
    best = math.inf
    for (x0, y0), (x1, y1) in zip(xy, [*xy[1:], xy[0]], strict=True):
        dx, dy = x1 - x0, y1 - y0
        length = dx * dx + dy * dy
        t = 0.0 if length == 0 else max(0.0, min(1.0, -(x0 * dx + y0 * dy) / length))
        best = min(best, math.hypot(x0 + t * dx, y0 + t * dy))
    return best


def _to_box(lat: float, lon: float, box: Sequence[float]) -> float:
    min_lon, min_lat, max_lon, max_lat = box
    near_lat = min(max(lat, min_lat), max_lat)
    if min_lon <= max_lon:
        inside_lon = min_lon <= lon <= max_lon
    else:  # crosses the antimeridian
        inside_lon = lon >= min_lon or lon <= max_lon
    if inside_lon:
        return haversine_km(lat, lon, near_lat, lon)
    west, east = abs(_wrap(lon - min_lon)), abs(_wrap(lon - max_lon))
    return haversine_km(lat, lon, near_lat, min_lon if west <= east else max_lon)


def distance_km(lat: float, lon: float, shape: Mapping[str, Any]) -> float:
    """Return how far a point lies from a shape: 0 inside it (inf for an unknown shape)."""
    kind = shape.get("kind")
    if kind == "circle":
        return max(0.0, haversine_km(lat, lon, shape["lat"], shape["lon"]) - shape["radius_km"])
    if kind == "bbox":
        return _to_box(lat, lon, shape["bbox"])
    if kind == "polygon":
        ring = shape["points"]
        return 0.0 if _inside_ring(lat, lon, ring) else _to_ring(lat, lon, ring)
    return math.inf


def reach(lat: float, lon: float, radius_km: float, shapes: Iterable[Mapping[str, Any]]) -> float:
    """Return the distance to the nearest shape within `radius_km` of the point, else -1."""
    found = [d for s in shapes if (d := distance_km(lat, lon, s)) <= radius_km]
    return min(found) if found else -1.0


def extent(shape: Mapping[str, Any]) -> tuple[float, float, float, float]:
    """Return (min_lat, max_lat, min_lon, max_lon) around a shape (min_lon > max_lon: wraps)."""
    kind = shape.get("kind")
    if kind == "bbox":
        min_lon, min_lat, max_lon, max_lat = shape["bbox"]
        return min_lat, max_lat, min_lon, max_lon
    if kind == "circle":
        from monitor.geo import bounding_box

        b = bounding_box(shape["lat"], shape["lon"], shape["radius_km"])
        return b.min_lat, b.max_lat, b.min_lon, b.max_lon
    lats = [p[0] for p in shape["points"]]
    lons = [p[1] for p in shape["points"]]
    return min(lats), max(lats), min(lons), max(lons)
