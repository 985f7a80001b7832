"""What a hazard feed's item says beyond its text: the area it covers, and whether it is routine.

The connectors keep each feed's geometry (connectors/capinfo.py: CAP and NWS polygons and
circles, county and zone codes; gdacs.py: a bounding box, and for an earthquake its magnitude;
usgs.py: the epicentre and magnitude). Here it becomes the item's area (monitor/areas.py
shapes; US county codes become the counties' outlines, monitor/us_areas.py) and the states the
codes lie in; a feed that gives none leaves the country to speak.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from monitor import us_areas
from monitor.areas import MAX_SHAPES, bbox, circle, polygon, shaking_radius_km

CAP_KINDS = ("cap", "nws")
# CAP severities at or below which a weather warning is routine (MeteoAlarm yellow, NWS
# advisories): a buyer hears of them only from a watch that asks for them.
ROUTINE_CAP_SEVERITIES = ("minor", "moderate")
ROUTINE_AWARENESS = ("green", "yellow")


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _point(item: Mapping[str, Any]) -> tuple[float, float] | None:
    lat, lon = _number(item.get("lat")), _number(item.get("lon"))
    return (lat, lon) if lat is not None and lon is not None else None


def _extra(item: Mapping[str, Any]) -> Mapping[str, Any]:
    extra = item.get("extra")
    return extra if isinstance(extra, Mapping) else {}


def _magnitude(item: Mapping[str, Any], extra: Mapping[str, Any]) -> float | None:
    """Return an earthquake's magnitude: USGS's `mag`, or GDACS's severity in M."""
    if item.get("kind") == "usgs":
        return _number(extra.get("mag"))
    quake = item.get("kind") == "gdacs" and extra.get("eventtype") == "EQ"
    if quake and str(extra.get("severity_unit") or "").upper() == "M":
        return _number(extra.get("severity_value"))
    return None


def item_area(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the shapes the item's feed says it covers (empty when it gives none)."""
    extra = _extra(item)
    shapes: list[dict[str, Any] | None] = []
    for flat in _list(extra.get("polygons")):
        if isinstance(flat, list):
            shapes.append(polygon(zip(flat[0::2], flat[1::2], strict=False)))
    for spec in _list(extra.get("circles")):
        if isinstance(spec, list) and len(spec) == 3:
            shapes.append(circle(*spec))
    point, magnitude = _point(item), _magnitude(item, extra)
    if point is not None and magnitude is not None:
        shapes.append(circle(point[0], point[1], shaking_radius_km(magnitude)))
    geocodes = _geocodes(extra)
    if not any(shapes) and geocodes:
        shapes += us_areas.area(geocodes, MAX_SHAPES)
    if not any(shapes) and item.get("bbox") is not None:
        shapes.append(bbox(item.get("bbox"), near=point))
    return [s for s in shapes if s is not None][:MAX_SHAPES]


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _geocodes(extra: Mapping[str, Any]) -> dict[str, list[str]]:
    geocodes = extra.get("geocodes")
    if not isinstance(geocodes, Mapping):
        return {}
    return {str(name): [str(v) for v in values] for name, values in geocodes.items()
            if isinstance(values, list)}  # fmt: skip


def hazard_places(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the states an item's US county and zone codes lie in, as subdivision places."""
    return [
        {"name": name, "country": "US", "kind": "subdivision", "subdivision": code,
         "locode": None, "lat": None, "lon": None}
        for code, name in us_areas.states(_geocodes(_extra(item)))
    ]  # fmt: skip


def is_routine(item: Mapping[str, Any]) -> bool:
    """Return whether the item is a routine weather warning (yellow, CAP Moderate or below)."""
    if item.get("kind") not in CAP_KINDS:
        return False
    categories = {str(c).lower() for c in item.get("categories") or []}
    if categories and "met" not in categories:  # a weather warning, or one that does not say
        return False
    extra = _extra(item)
    level = str(extra.get("awareness_level") or "").lower()  # MeteoAlarm: "2; yellow; Moderate"
    colours = [c for c in ("green", "yellow", "orange", "red") if c in level]
    if colours:
        return colours[0] in ROUTINE_AWARENESS
    return str(extra.get("severity") or "").lower() in ROUTINE_CAP_SEVERITIES


def hazard_fields(item: Mapping[str, Any], places: list[Any]) -> dict[str, Any]:
    """Return what a disruption record carries of the item's hazard: its area, routine flag,
    and the tagger's `places` with the states its codes name that the text did not."""
    named = {p.get("subdivision") for p in places if isinstance(p, Mapping)}
    extra = [p for p in hazard_places(item) if p["subdivision"] not in named]
    return {"area": item_area(item), "routine": is_routine(item), "places": [*places, *extra]}
