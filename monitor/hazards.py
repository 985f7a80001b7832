"""What a hazard feed's item says beyond its text: the area it covers, and whether it is routine.

The connectors keep each feed's geometry (connectors/capinfo.py: CAP and NWS polygons and
circles; gdacs.py: a bounding box; usgs.py: the epicentre and magnitude). Here it becomes the
item's area (monitor/areas.py shapes); a feed that gives none leaves the country to speak.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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


def item_area(item: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Return the shapes the item's feed says it covers (empty when it gives none)."""
    extra = _extra(item)
    shapes: list[dict[str, Any] | None] = []
    for flat in extra.get("polygons") or []:
        if isinstance(flat, list):
            shapes.append(polygon(zip(flat[0::2], flat[1::2], strict=False)))
    for spec in extra.get("circles") or []:
        if isinstance(spec, list) and len(spec) == 3:
            shapes.append(circle(*spec))
    point = _point(item)
    magnitude = _number(extra.get("mag"))
    if item.get("kind") == "usgs" and point is not None and magnitude is not None:
        shapes.append(circle(point[0], point[1], shaking_radius_km(magnitude)))
    if not any(shapes) and item.get("bbox") is not None:
        shapes.append(bbox(item.get("bbox"), near=point))
    return [s for s in shapes if s is not None][:MAX_SHAPES]


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


def hazard_fields(item: Mapping[str, Any]) -> dict[str, Any]:
    """Return what a disruption record carries of the item's hazard: its area and routine flag."""
    return {"area": item_area(item), "routine": is_routine(item)}
