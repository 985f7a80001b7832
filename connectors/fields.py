"""Small helpers shared by the parsers: id scope, capped raw text, numbers, points, countries."""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from typing import Any

import pycountry

from connectors.base import RAW_LIMIT


def scope(feed_id: int | None, url: str | None) -> str | int:
    """Return what item ids are hashed within: the feed id, else its URL or file name."""
    if feed_id is not None:
        return feed_id
    return url or "local"


def clip_raw(value: Any) -> str:
    """Return the source record as text (JSON for structures), cut to `RAW_LIMIT` characters."""
    if not isinstance(value, str):
        value = json.dumps(value, ensure_ascii=False, default=str)
    return value[:RAW_LIMIT]


def number(value: Any) -> float | None:
    """Return a finite float from a number or numeric string, else None."""
    if isinstance(value, bool) or value is None:
        return None
    try:
        result = float(value)
    except (TypeError, ValueError):
        return None
    return result if math.isfinite(result) else None


def valid_point(lat: float | None, lon: float | None) -> tuple[float | None, float | None]:
    """Return (lat, lon) when both are on the globe, else (None, None)."""
    if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return lat, lon


def centroid(points: list[tuple[float, float]]) -> tuple[float | None, float | None]:
    """Return the centroid (lat, lon) of a ring of (lat, lon) points; the mean if degenerate."""
    if not points:
        return None, None
    ring = points[:-1] if len(points) > 1 and points[0] == points[-1] else points
    area = cx = cy = 0.0
    for (y0, x0), (y1, x1) in zip(ring, [*ring[1:], ring[0]], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-12:
        return (
            round(sum(p[0] for p in ring) / len(ring), 5),
            round(sum(p[1] for p in ring) / len(ring), 5),
        )
    return round(cy / (3 * area), 5), round(cx / (3 * area), 5)


def bbox_of(points: list[tuple[float, float]]) -> list[float] | None:
    """Return [min_lon, min_lat, max_lon, max_lat] of (lat, lon) points, or None."""
    if not points:
        return None
    lats = [p[0] for p in points]
    lons = [p[1] for p in points]
    return [min(lons), min(lats), max(lons), max(lats)]


def alpha2(value: str | None) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for an alpha-2/alpha-3 code or a country name."""
    if not value or not value.strip():
        return None
    return _alpha2(value.strip().casefold())


# Common names that pycountry's official names and codes miss.
_ALIASES = {
    "russia": "RU", "turkey": "TR", "uk": "GB", "great britain": "GB", "england": "GB",
    "south korea": "KR", "north korea": "KP", "syria": "SY", "laos": "LA", "burma": "MM",
    "czech republic": "CZ", "ivory coast": "CI", "cape verde": "CV", "swaziland": "SZ",
    "macedonia": "MK", "dr congo": "CD", "democratic republic of the congo": "CD",
    "republic of the congo": "CG", "taiwan": "TW", "vatican": "VA", "micronesia": "FM",
    "east timor": "TL", "brunei": "BN", "palestine": "PS", "kosovo": "XK",
}  # fmt: skip


@lru_cache(maxsize=4096)
def _alpha2(key: str) -> str | None:
    if key in _ALIASES:
        return _ALIASES[key]
    try:
        return str(pycountry.countries.lookup(key).alpha_2)
    except LookupError:
        return None


def alpha2_list(values: list[str | None]) -> list[str]:
    """Return the distinct alpha-2 codes of several codes or names, in order."""
    found: list[str] = []
    for value in values:
        for part in re.split(r"[,;/]", value or ""):
            code = alpha2(part)
            if code and code not in found:
                found.append(code)
    return found
