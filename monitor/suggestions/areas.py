"""Affected areas: what a disruption covers, built from tagger output or given by hand."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from monitor.geo import BBox, bounding_box, haversine_km


@dataclass(frozen=True)
class AffectedArea:
    """A whole country, a subdivision, or a point with a safety radius.

    A point area (lat/lon given) excludes suppliers within `radius_km` of it (the default radius
    when None); its country is only a label. Without a point, a subdivision excludes suppliers
    recorded in it, and a bare country excludes the whole country.
    """

    country: str | None
    subdivision: str | None = None
    lat: float | None = None
    lon: float | None = None
    radius_km: float | None = None
    name: str | None = None

    @property
    def is_point(self) -> bool:
        """Return whether this area is a point with a radius."""
        return self.lat is not None and self.lon is not None

    @property
    def whole_country(self) -> str | None:
        """Return the country this area excludes entirely, if it does."""
        if self.is_point or self.subdivision:
            return None
        return self.country

    def label(self, default_radius_km: float) -> str:
        """Return a short description for reasons and messages."""
        if self.is_point:
            where = self.name or f"{self.lat:.2f},{self.lon:.2f}"
            return f"{self.radius(default_radius_km):g} km around {where}"
        return self.name or self.subdivision or self.country or "?"

    def radius(self, default_radius_km: float) -> float:
        """Return the safety radius in km."""
        return self.radius_km if self.radius_km is not None else default_radius_km


@dataclass(frozen=True)
class PointCheck:
    """A point area prepared for fast checks: its box and radius."""

    area: AffectedArea
    box: BBox
    radius_km: float

    def distance_if_inside(self, lat: float, lon: float) -> float | None:
        """Return the distance when (lat, lon) is within the radius, else None."""
        if not self.box.contains(lat, lon):
            return None
        assert self.area.lat is not None and self.area.lon is not None
        d = haversine_km(self.area.lat, self.area.lon, lat, lon)
        return d if d <= self.radius_km else None


def point_checks(areas: Iterable[AffectedArea], default_radius_km: float) -> list[PointCheck]:
    """Return the point areas with their bounding boxes, ready for the candidate filter."""
    checks = []
    for a in areas:
        if a.lat is not None and a.lon is not None:
            r = a.radius(default_radius_km)
            checks.append(PointCheck(a, bounding_box(a.lat, a.lon, r), r))
    return checks


def _get(place: Any, key: str) -> Any:
    return place.get(key) if isinstance(place, Mapping) else getattr(place, key, None)


def areas_from_tagged(
    *, places: Iterable[Any] = (), countries: Iterable[str] = ()
) -> list[AffectedArea]:
    """Build areas from the tagger's `places` (dicts or Place objects) and `countries`.

    A place of kind `country`, or one without coordinates or subdivision, excludes its whole
    country; a place with coordinates is a point; a country listed with no place in it is whole.
    """
    areas: list[AffectedArea] = []
    placed: set[str] = set()
    for p in places:
        country = (_get(p, "country") or "").upper() or None
        kind, name = _get(p, "kind"), _get(p, "name")
        lat, lon, sub = _get(p, "lat"), _get(p, "lon"), _get(p, "subdivision")
        if kind != "country" and lat is not None and lon is not None:
            radius = _get(p, "radius_km")
            areas.append(AffectedArea(country, None, float(lat), float(lon), radius, name))
        elif kind != "country" and sub:
            areas.append(AffectedArea(country, str(sub).upper(), name=name))
        elif country:
            areas.append(AffectedArea(country, name=name if kind == "country" else None))
        if country:
            placed.add(country)
    for c in countries:
        if c and c.upper() not in placed:
            areas.append(AffectedArea(c.upper()))
            placed.add(c.upper())
    return list(dict.fromkeys(areas))


def areas_from_query(
    *,
    countries: Iterable[str] = (),
    subdivisions: Iterable[str] = (),
    near: str | None = None,
    radius_km: float | None = None,
) -> list[AffectedArea]:
    """Return the areas a hand-written query names (CLI flags, API parameters)."""
    from monitor.errors import InvalidInput

    areas = [AffectedArea(c.strip().upper()) for c in countries]
    areas += [
        AffectedArea(s.strip()[:2].upper(), subdivision=s.strip().upper()) for s in subdivisions
    ]
    if radius_km is not None and not math.isfinite(radius_km):
        raise InvalidInput("radius_km", f"radius_km {radius_km} is not a finite number")
    if near is None:
        if radius_km is not None:
            raise InvalidInput("radius_km", "radius_km needs near LAT,LON")
        return areas
    try:
        lat, lon = (float(x) for x in near.split(","))
    except ValueError:
        raise InvalidInput("near", f"near {near!r} is not LAT,LON (e.g. 5.35,-4.00)") from None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise InvalidInput("near", f"near {near!r} is not LAT,LON of finite numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise InvalidInput("near", f"near {near!r} is outside -90..90, -180..180")
    if radius_km is not None and not 0 < radius_km <= 20000:
        raise InvalidInput("radius_km", "radius_km must be above 0 and at most 20000")
    return [
        *areas,
        AffectedArea(None, lat=lat, lon=lon, radius_km=radius_km, name=f"{lat:g},{lon:g}"),
    ]
