"""One CAP alert (as a dict with CAP's field names) to one item; shared by cap, MeteoAlarm, NWS.

The dict follows the CAP 1.2 structure, which the MeteoAlarm JSON API already uses:
`{"identifier", "sender", "sent", "status", "msgType", "info": [{"language", "event",
"urgency", "severity", "certainty", "onset", "effective", "expires", "headline", "description",
"instruction", "web", "parameter": [{"valueName", "value"}], "area": [{"areaDesc",
"polygon": [...], "circle": [...], "geocode": [{"valueName", "value"}]}]}]}`.
"""

from __future__ import annotations

import re
from typing import Any

from connectors.base import Item, item_id
from connectors.fields import alpha2, bbox_of, centroid, number, scope, valid_point
from connectors.hazards import cap_severity, event_type
from connectors.text import html_to_text, language_tag, squash, to_utc_iso

_SUBDIVISION = re.compile(r"^([A-Z]{2})-[A-Z0-9]{1,3}$")


def pick_info(infos: list[dict[str, Any]]) -> dict[str, Any]:
    """Return the English <info> block (CAP's default language is en-US), else the first."""
    for info in infos:
        if str(info.get("language") or "en-US").lower().startswith("en"):
            return info
    return infos[0] if infos else {}


def cap_item(
    alert: dict[str, Any],
    *,
    kind: str,
    feed_id: int | None,
    url: str | None,
    raw: str,
    link: str | None = None,
    guid: str | None = None,
) -> Item:
    """Return the item for one CAP alert, reading the preferred-language <info> block."""
    infos = [i for i in _list(alert.get("info")) if isinstance(i, dict)]
    info = pick_info(infos)
    areas = [a for a in _list(info.get("area")) if isinstance(a, dict)]
    area_names = [squash(str(a["areaDesc"])) for a in areas if a.get("areaDesc")]
    params = _pairs(info.get("parameter"))
    event = squash(str(info.get("event") or ""))
    headline = html_to_text(info.get("headline"))
    title = headline or ": ".join(p for p in (event, ", ".join(area_names)) if p) or "CAP alert"
    texts = [html_to_text(info.get("description")), html_to_text(info.get("instruction"))]
    if area_names:
        texts.append("Area: " + "; ".join(area_names))
    body = " ".join(t for t in texts if t)
    lat, lon, bbox = area_geometry(areas)
    geocodes = _pairs([g for a in areas for g in _list(a.get("geocode"))])
    awareness_type = (params.get("awareness_type") or [""])[0].split(";")[-1].strip()
    onset, effective = to_utc_iso(info.get("onset")), to_utc_iso(info.get("effective"))
    extra: dict[str, Any] = {
        "identifier": alert.get("identifier"),
        "sender": alert.get("sender"),
        "status": alert.get("status"),
        "msg_type": alert.get("msgType"),
        "event": event or None,
        "urgency": info.get("urgency"),
        "severity": info.get("severity"),
        "certainty": info.get("certainty"),
        "onset": onset,
        "effective": effective,
        "expires": to_utc_iso(info.get("expires")),
        "sender_name": info.get("senderName"),
        "areas": area_names or None,
        "geocodes": geocodes or None,
        "polygons": area_polygons(areas) or None,
        "circles": area_circles(areas) or None,
        "awareness_level": next(iter(params.get("awareness_level", [])), None),
        "languages": [i.get("language") for i in infos if i.get("language")] or None,
    }
    web = info.get("web") if isinstance(info.get("web"), str) else None
    link = link or web
    guid = guid or _identity(alert)
    return Item(
        id=item_id(scope(feed_id, url), guid=guid, link=link, content=title + body),
        feed_id=feed_id,
        kind=kind,
        title=title,
        body=body,
        url=link,
        published=to_utc_iso(alert.get("sent"))
        or effective
        or onset
        or to_utc_iso(alert.get("updated")),
        language=language_tag(info.get("language")),
        lat=lat,
        lon=lon,
        bbox=bbox,
        country_hint=geocode_countries(geocodes, alert.get("sender")),
        severity_hint=cap_severity(info.get("severity")),
        event_hint=event_type(event, awareness_type, headline),
        categories=[str(c) for c in _list(info.get("category")) if c],
        extra={key: value for key, value in extra.items() if value not in (None, "")},
        raw=raw,
    )


def area_geometry(areas: list[dict[str, Any]]) -> tuple[float | None, float | None, list | None]:
    """Return the centroid (lat, lon) and bbox of the polygons, else the first circle's centre."""
    rings = [ring for a in areas for p in _list(a.get("polygon")) if (ring := _points(str(p)))]
    if rings:
        centres = [centroid(ring) for ring in rings]
        lat = round(sum(c[0] or 0 for c in centres) / len(centres), 5)
        lon = round(sum(c[1] or 0 for c in centres) / len(centres), 5)
        return lat, lon, bbox_of([p for ring in rings for p in ring])
    for area in areas:
        for circle in _list(area.get("circle")):
            points = _points(str(circle).split(" ")[0])
            if points:
                return points[0][0], points[0][1], None
    return None, None, None


MAX_RINGS = 10  # polygons an item keeps
MAX_RING_POINTS = 100  # points a polygon keeps, evenly thinned beyond that


def area_polygons(areas: list[dict[str, Any]]) -> list[list[float]]:
    """Return the areas' polygons, each flat [lat, lon, lat, lon, …] (thinned), for matching.

    Flat, because `extra` keeps three levels of nesting (connectors/clean.py).
    """
    rings = [
        ring for a in areas for p in _list(a.get("polygon")) if len(ring := _points(str(p))) >= 3
    ]
    out = []
    for ring in rings[:MAX_RINGS]:
        step = max(1, -(-len(ring) // MAX_RING_POINTS))
        out.append([x for point in ring[::step] for x in point])
    return out


def area_circles(areas: list[dict[str, Any]]) -> list[list[float]]:
    """Return the areas' circles as [lat, lon, radius_km] (CAP: "lat,lon radius")."""
    out = []
    for area in areas:
        for value in _list(area.get("circle")):
            centre, _, radius = str(value).strip().partition(" ")
            points, km = _points(centre), number(radius.strip())
            if points and km is not None and km > 0:
                out.append([points[0][0], points[0][1], km])
    return out[:MAX_RINGS]


def geocode_countries(geocodes: dict[str, list[str]], sender: object) -> list[str]:
    """Return the countries that geocodes imply (US SAME/FIPS/UGC, Canada CAP-CP, EMMA, ISO)."""
    found: list[str] = []
    for name, values in geocodes.items():
        lowered = name.lower()
        codes: list[str | None] = []
        if lowered in {"same", "fips6", "ugc"} or "fips" in lowered:
            codes = ["US"]
        elif "cap-cp" in lowered:
            codes = ["CA"]
        elif lowered == "emma_id":  # EMMA ids start with the country, "UK" for Britain
            codes = [alpha2("GB" if v[:2].upper() == "UK" else v[:2]) for v in values]
        else:
            codes = [alpha2(m.group(1)) for v in values if (m := _SUBDIVISION.match(v.strip()))]
        found += [c for c in codes if c and c not in found]
    if not found and isinstance(sender, str) and sender.lower().endswith(("noaa.gov", "nws.gov")):
        found.append("US")
    return found


def _points(text: str) -> list[tuple[float, float]]:
    """Return the (lat, lon) pairs of a CAP "lat,lon lat,lon …" string, skipping bad pairs."""
    points = []
    for pair in text.split():
        parts = pair.split(",")
        if len(parts) == 2:
            lat, lon = valid_point(number(parts[0]), number(parts[1]))
            if lat is not None and lon is not None:
                points.append((lat, lon))
    return points


def _pairs(entries: object) -> dict[str, list[str]]:
    """Return CAP valueName/value pairs as {name: [values]}."""
    result: dict[str, list[str]] = {}
    for entry in _list(entries):
        if isinstance(entry, dict) and entry.get("valueName") and entry.get("value") is not None:
            result.setdefault(str(entry["valueName"]), []).append(str(entry["value"]))
    return result


def _identity(alert: dict[str, Any]) -> str | None:
    identifier = alert.get("identifier")
    return f"{alert.get('sender') or ''}/{identifier}" if identifier else None


def _list(value: object) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
