"""USGS earthquake GeoJSON feeds: magnitude, place, PAGER alert, tsunami flag, depth."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import pycountry

from connectors.base import Connector, Item, Items, ParseError, build_items, item_id
from connectors.fields import alpha2, clip_raw, number, scope, valid_point
from connectors.hazards import PAGER_SEVERITY
from connectors.jsonbody import json_head, load_json, require_object
from connectors.text import epoch_ms_to_iso, squash

_US_STATE = re.compile(r"^[A-Z]{2}$")


class UsgsConnector(Connector):
    """A USGS FeatureCollection of earthquakes (summary feeds, any api version)."""

    kind = "usgs"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for a GeoJSON FeatureCollection (NWS alerts are detected before this)."""
        head = json_head(body, 16384)
        return bool(head and b"FeatureCollection" in head)

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Return one item per earthquake feature; a malformed feature is skipped and counted."""
        data = require_object(load_json(body, what="USGS GeoJSON"), what="USGS GeoJSON")
        features = data.get("features")
        if data.get("type") != "FeatureCollection" or not isinstance(features, list):
            raise ParseError("not USGS GeoJSON: no FeatureCollection with a features list")
        return build_items(features, lambda f: self._item(f, feed_id=feed_id, url=url))

    def _item(self, feature: Any, *, feed_id: int | None, url: str | None) -> Item | None:
        props = feature.get("properties")
        if not isinstance(props, dict):
            raise ValueError("a feature without a properties object")
        coords = (feature.get("geometry") or {}).get("coordinates") or []
        if not isinstance(coords, list):
            raise ValueError("coordinates that are not a list")
        lon, lat, depth = (number(c) for c in [*coords[:3], None, None, None][:3])
        lat, lon = valid_point(lat, lon)
        mag = number(props.get("mag"))
        place = squash(str(props.get("place") or ""))
        alert = str(props.get("alert") or "").lower() or None
        tsunami = bool(props.get("tsunami"))
        title = squash(str(props.get("title") or "")) or _title(mag, place)
        facts = [f"Magnitude {mag:g} earthquake" if mag is not None else "Earthquake"]
        facts += [place] if place else []
        facts += [f"depth {depth:g} km"] if depth is not None else []
        facts += [f"PAGER alert level {alert}"] if alert in PAGER_SEVERITY else []
        facts += ["tsunami possible"] if tsunami else []
        extra = {
            "usgs_id": feature.get("id"),
            "mag": mag,
            "mag_type": props.get("magType"),
            "depth_km": depth,
            "place": place or None,
            "alert": alert,
            "tsunami": tsunami,
            "felt": props.get("felt"),
            "sig": props.get("sig"),
            "status": props.get("status"),
            "type": props.get("type"),
            "updated": epoch_ms_to_iso(props.get("updated")),
        }
        link = props.get("url") if isinstance(props.get("url"), str) else None
        return Item(
            id=item_id(
                scope(feed_id, url), guid=_text(feature.get("id")), link=link, content=title
            ),
            feed_id=feed_id,
            kind=self.kind,
            title=title,
            body=". ".join(facts) + ".",
            url=link,
            published=epoch_ms_to_iso(props.get("time")),
            language="en",
            lat=lat,
            lon=lon,
            country_hint=_countries(place),
            severity_hint=PAGER_SEVERITY.get(alert or ""),
            event_hint="earthquake" if props.get("type", "earthquake") == "earthquake" else "other",
            categories=[str(props["type"])] if props.get("type") else [],
            extra={key: value for key, value in extra.items() if value is not None},
            raw=clip_raw(feature),
        )


def _text(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def _title(mag: float | None, place: str) -> str:
    return f"M {mag:.1f} - {place}" if mag is not None else place or "Earthquake"


def _countries(place: str) -> list[str]:
    """Return the country of a USGS place ("…, Japan", "…, Alaska", "…, CA" = California)."""
    last = place.rsplit(",", 1)[-1].strip()
    if not last:
        return []
    if _US_STATE.match(last):  # USGS abbreviates US states and uses "MX" for Mexico
        if last == "MX":
            return ["MX"]
        return ["US"] if pycountry.subdivisions.get(code=f"US-{last}") else []
    code = alpha2(last)
    if code is None:
        code = _subdivision_country(last)
    return [code] if code else []


@lru_cache(maxsize=1024)
def _subdivision_country(name: str) -> str | None:
    """Return the country of a subdivision name when exactly one country has it ("Alaska")."""
    try:
        matches = {s.country_code for s in pycountry.subdivisions if s.name == name}
    except LookupError:
        return None
    return matches.pop() if len(matches) == 1 else None
