"""The watch index: which watches an incident hits, decided by set operations, not a scan.

Each watch is filed under its place keys (country, subdivision, lane, and the 1° grid cells
its sites' radii reach), then its minimum severity rank, then each material it names (or `*`
for none) and once more under `EVERY`, whatever its materials. For an incident of rank r, the
buckets of rank ≤ r under its countries, subdivisions and lanes and under its materials and
`*` (or `EVERY` when it names no material) are taken whole: those watches match with no check
of their own. Watches found only through a grid cell get the one check left, the distance
from a site to an incident point.

An incident that exposes a logistics material (containers: a container terminal shut) counts
as naming no material, since it hits every good that passes there.

Where a feed gave an area (monitor/areas.py shapes: CAP polygons, a USGS shaking radius, a
GDACS box), sites are hit inside it, or within their radius of it: the cells the area's extent
covers are searched like a point's. A watch on a whole country still hears of an area inside
it. A routine weather warning (yellow, CAP Moderate or below) hits only the watches that ask
for routine warnings; a buyer's own suppliers never do.

`hits` is that decision; `match` runs `check` on the hits alone, to say what overlapped.
`scan` runs `check` on every watch: the baseline the index is measured against, and its
test oracle.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from monitor import vocab
from monitor.areas import extent, reach
from monitor.geo import KM_PER_DEGREE_LAT, bounding_box, haversine_km
from monitor.matching.watches import SiteSpec, WatchSpec
from monitor.vocab import SEVERITIES

ANY = "*"  # the material key of a watch that names none
MAX_AREA_CELLS = 5000  # grid cells searched for an area; a larger one checks every watch
EVERY = None  # the key under which a place and rank hold all their watches
PlaceKey = tuple[str, Any, Any]
# Places that spread over an area: the tagger gives each one point (a country its capital, a
# state its largest city, a sea its middle), which says nothing about where a site is. They
# match watches by their codes, never sites by distance.
SPREAD_KINDS = frozenset({"country", "subdivision", "region", "waterway"})


@dataclass(frozen=True)
class Match:
    """One watch an incident hits, with what overlapped."""

    spec: WatchSpec
    materials: tuple[str, ...]
    places: tuple[str, ...]


@dataclass(frozen=True)
class Footprint:
    """Where and what an incident touches, normalised once for every check."""

    countries: frozenset[str]
    subdivisions: frozenset[str]
    lanes: frozenset[str]
    points: tuple[tuple[float, float, str], ...]
    materials: frozenset[str]
    rank: int
    area: tuple[Mapping[str, Any], ...] = ()
    routine: bool = False


@cache
def carriers() -> frozenset[str]:
    """Return the lexicon's logistics materials: how goods travel, not goods (containers)."""
    return frozenset(name for name, m in vocab.materials().items() if m.category == "logistics")


def footprint(incident: Mapping[str, Any]) -> Footprint:
    """Return the incident's places and materials as the matcher compares them."""
    places = incident.get("places") or []
    countries = {str(c).upper() for c in incident.get("countries") or []}
    countries |= {str(p["country"]).upper() for p in places if p.get("country")}
    lanes = {str(p.get("locode") or p.get("name") or "").upper()
             for p in places if p.get("kind") in ("port", "waterway")}  # fmt: skip
    lanes |= {str(p["name"]).upper() for p in places if p.get("kind") == "port" and p.get("name")}
    points = tuple(
        (float(p["lat"]), float(p["lon"]), str(p.get("name") or ""))
        for p in places
        if p.get("kind") not in SPREAD_KINDS and _located(p)
    )
    materials = {
        str(m.get("name") if isinstance(m, Mapping) else m).lower()
        for m in incident.get("materials") or []
    }
    if materials & carriers():  # a container terminal shut hits every good that passes there,
        materials = set()  # like an incident that names no material
    severity = incident.get("severity")
    return Footprint(
        countries=frozenset(countries),
        subdivisions=frozenset(str(p["subdivision"]).upper() for p in places
                               if p.get("subdivision")),
        lanes=frozenset(x for x in lanes if x),
        points=points,
        materials=frozenset(materials),
        rank=SEVERITIES.index(severity) if severity in SEVERITIES else 0,
        area=tuple(s for s in incident.get("area") or [] if isinstance(s, Mapping)),
        routine=bool(incident.get("routine")),
    )  # fmt: skip


def _located(place: Mapping[str, Any]) -> bool:
    return isinstance(place.get("lat"), int | float) and isinstance(place.get("lon"), int | float)


def near(site: SiteSpec, points: Iterable[tuple[float, float, str]]) -> tuple[float, str] | None:
    """Return the distance to, and the name of, the first point within the site's radius."""
    slat, slon, radius = site.lat, site.lon, site.radius_km
    # No two points are closer than their difference in latitude alone, so points farther
    # apart in latitude than the radius (plus a millimetre for rounding) are out of reach
    # without a haversine. That holds for latitudes on the globe only.
    reach = (radius + 1e-6) / KM_PER_DEGREE_LAT if -90 <= slat <= 90 else math.inf
    for lat, lon, name in points:
        if abs(lat - slat) > reach and -90 <= lat <= 90:
            continue
        km = haversine_km(slat, slon, lat, lon)
        if km <= radius:
            return km, name
    return None


def site_hit(site: SiteSpec, fp: Footprint) -> str | None:
    """Return how the incident reaches a site (inside its area, or near a point), or None."""
    label = site.label or f"{site.lat:.2f},{site.lon:.2f}"
    if fp.area:
        km = reach(site.lat, site.lon, site.radius_km, fp.area)
        if km == 0:
            return f"site {label}: inside the hazard area"
        if km > 0:
            return f"site {label}: {km:.0f} km from the hazard area"
    found = near(site, fp.points)
    if found is None:
        return None
    km, name = found
    return f"site {label}: {km:.0f} km from {name or 'the incident'}"


def check(spec: WatchSpec, fp: Footprint) -> Match | None:
    """Return the match when a place and a material overlap and the severity is enough."""
    if fp.rank < spec.min_rank or (fp.routine and not spec.routine_warnings):
        return None
    if spec.materials and fp.materials:
        materials = tuple(sorted(spec.materials & fp.materials))
        if not materials:
            return None
    else:  # the incident names no material (a closed port hits every good) or the watch none
        materials = tuple(sorted(fp.materials or spec.materials))
    places = [f"country {c}" for c in sorted(spec.countries & fp.countries)]
    if spec.subdivisions:
        places += [f"subdivision {s}" for s in sorted(spec.subdivisions & fp.subdivisions)]
    if spec.lanes:
        places += [f"lane {lane}" for lane in sorted(spec.lanes & fp.lanes)]
    places += [hit for site in spec.sites if (hit := site_hit(site, fp)) is not None]
    if not places:
        return None
    return Match(spec, materials, tuple(places))


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return math.floor(lat), math.floor(lon) % 360


def _cells(lat: float, lon: float, radius_km: float) -> Iterable[tuple[int, int]]:
    box = bounding_box(lat, lon, radius_km)
    lats = range(math.floor(box.min_lat), math.floor(box.max_lat) + 1)
    if box.min_lon <= box.max_lon:
        if box.max_lon - box.min_lon >= 359:
            lons: Iterable[int] = range(360)
        else:
            lons = range(math.floor(box.min_lon), math.floor(box.max_lon) + 1)
    else:  # crosses the antimeridian
        lons = [*range(math.floor(box.min_lon), 180), *range(-180, math.floor(box.max_lon) + 1)]
    return [(la, lo % 360) for la in lats for lo in lons]


def _area_cells(area: Iterable[Mapping[str, Any]]) -> set[PlaceKey] | None:
    """Return the grid cells the area's shapes extend over (None when too many to list)."""
    cells: set[PlaceKey] = set()
    for shape in area:
        min_lat, max_lat, min_lon, max_lon = extent(shape)
        lats = range(math.floor(min_lat), math.floor(max_lat) + 1)
        if min_lon <= max_lon:
            lons: Iterable[int] = range(math.floor(min_lon), math.floor(max_lon) + 1)
        else:  # crosses the antimeridian
            lons = [*range(math.floor(min_lon), 180), *range(-180, math.floor(max_lon) + 1)]
        lons = list(lons)
        if len(cells) + len(lats) * len(lons) > MAX_AREA_CELLS:
            return None
        cells |= {("g", la, lo % 360) for la in lats for lo in lons}
    return cells


class WatchIndex:
    """Watches filed by place, severity and material; add, replace and remove keep it current."""

    def __init__(self) -> None:
        self.specs: dict[str, WatchSpec] = {}
        # place key -> minimum severity rank -> material (or `*`, or EVERY) -> watch keys
        self._index: dict[PlaceKey, dict[int, dict[str | None, set[str]]]] = {}

    def __len__(self) -> int:
        return len(self.specs)

    def __contains__(self, key: object) -> bool:
        return key in self.specs

    @staticmethod
    def _place_keys(spec: WatchSpec) -> set[PlaceKey]:
        keys: set[PlaceKey] = {("c", c, None) for c in spec.countries}
        keys |= {("s", s, None) for s in spec.subdivisions}
        keys |= {("l", lane, None) for lane in spec.lanes}
        for site in spec.sites:
            keys |= {("g", la, lo) for la, lo in _cells(site.lat, site.lon, site.radius_km)}
        return keys

    @staticmethod
    def _material_keys(spec: WatchSpec) -> tuple[str | None, ...]:
        return (*(spec.materials or {ANY}), EVERY)

    def put(self, spec: WatchSpec) -> None:
        """Add a watch, or replace the one with the same key."""
        self.remove(spec.key)
        self.specs[spec.key] = spec
        for pk in self._place_keys(spec):
            by_material = self._index.setdefault(pk, {}).setdefault(spec.min_rank, {})
            for material in self._material_keys(spec):
                by_material.setdefault(material, set()).add(spec.key)

    def remove(self, key: str) -> None:
        """Forget a watch (nothing happens when it is unknown)."""
        spec = self.specs.pop(key, None)
        if spec is None:
            return
        for pk in self._place_keys(spec):
            by_rank = self._index.get(pk, {})
            by_material = by_rank.get(spec.min_rank, {})
            for material in self._material_keys(spec):
                keys = by_material.get(material, set())
                keys.discard(key)
                if not keys:
                    by_material.pop(material, None)
            if not by_material:
                by_rank.pop(spec.min_rank, None)
            if not by_rank:
                self._index.pop(pk, None)

    def _filed(self, place_keys: Iterable[PlaceKey], fp: Footprint) -> set[str]:
        """Return the watches filed under these places, the incident's materials and rank."""
        found: set[str] = set()
        # An incident that names no material hits every good.
        materials = (*fp.materials, ANY) if fp.materials else (EVERY,)
        for pk in place_keys:
            for rank, by_material in self._index.get(pk, {}).items():
                if rank <= fp.rank:
                    for material in materials:
                        found.update(by_material.get(material, ()))
        return found

    def _hits(self, fp: Footprint) -> set[str]:
        areas: set[PlaceKey] = {("c", c, None) for c in fp.countries}
        areas |= {("s", s, None) for s in fp.subdivisions}
        areas |= {("l", lane, None) for lane in fp.lanes}
        found = self._filed(areas, fp)
        cells: set[PlaceKey] = {("g", *_cell(lat, lon)) for lat, lon, _ in fp.points}
        area_cells = _area_cells(fp.area)
        if area_cells is None:  # an area too large to search by cell: check every watch
            return {key for key, spec in self.specs.items() if check(spec, fp) is not None}
        for key in self._filed(cells | area_cells, fp) - found:
            if any(site_hit(site, fp) for site in self.specs[key].sites):
                found.add(key)
        if fp.routine:
            found = {key for key in found if self.specs[key].routine_warnings}
        return found

    def hits(self, incident: Mapping[str, Any]) -> set[str]:
        """Return the keys of every watch the incident hits (what `match` explains)."""
        return self._hits(footprint(incident))

    def match(self, incident: Mapping[str, Any]) -> list[Match]:
        """Return every watch the incident hits, in key order, with what overlapped."""
        fp = footprint(incident)
        explained = (check(self.specs[key], fp) for key in sorted(self._hits(fp)))
        return [hit for hit in explained if hit is not None]


def scan(specs: Iterable[WatchSpec], incident: Mapping[str, Any]) -> list[Match]:
    """Check every watch (the baseline the index is measured against, and its test oracle)."""
    fp = footprint(incident)
    hits = (check(spec, fp) for spec in sorted(specs, key=lambda s: s.key))
    return [hit for hit in hits if hit is not None]


__all__ = [
    "KM_PER_DEGREE_LAT",
    "Footprint",
    "Match",
    "WatchIndex",
    "check",
    "footprint",
    "near",
    "scan",
    "site_hit",
]
