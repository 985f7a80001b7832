"""api.weather.gov alerts: GeoJSON(-LD) features whose properties are flattened CAP fields."""

from __future__ import annotations

from typing import Any

from connectors.base import Connector, Item, Items, ParseError, build_items
from connectors.capinfo import cap_item
from connectors.fields import clip_raw
from connectors.jsonbody import json_head, load_json, require_object

_MARKERS = (b"api.weather.gov", b"wx:Alert", b"urn:oid:2.49.0.1.840")


class NwsConnector(Connector):
    """US National Weather Service alerts: one item per feature, read as a CAP alert."""

    kind = "nws"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for JSON naming the NWS API or its alert ids."""
        head = json_head(body, 16384)
        return bool(head and any(marker in head for marker in _MARKERS))

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Parse a FeatureCollection of alerts or a single alert Feature."""
        data = require_object(load_json(body, what="NWS alerts"), what="NWS alerts")
        if data.get("type") == "Feature":
            features = [data]
        elif isinstance(data.get("features"), list):
            features = data["features"]
        else:
            raise ParseError("not NWS alerts: neither a Feature nor a FeatureCollection")

        def build(feature: Any) -> Item:
            props = feature.get("properties")
            if not isinstance(props, dict):
                raise ValueError("a feature without a properties object")
            link = props.get("@id") or props.get("uri") or feature.get("id")
            return cap_item(
                _alert(props, feature.get("geometry")),
                kind=self.kind,
                feed_id=feed_id,
                url=url,
                raw=clip_raw(feature),
                link=link if isinstance(link, str) else None,
                guid=str(props.get("id") or feature.get("id") or "") or None,
            )

        return build_items(features, build)


def _alert(props: dict[str, Any], geometry: Any) -> dict[str, Any]:
    """Return NWS alert properties in the CAP dict shape of `connectors.capinfo`."""
    geocode = props["geocode"] if isinstance(props.get("geocode"), dict) else {}
    info = {
        name: props.get(name)
        for name in (
            "event", "urgency", "severity", "certainty", "onset", "effective", "expires",
            "senderName", "headline", "description", "instruction",
        )
    }  # fmt: skip
    info["language"] = "en-US"  # the API serves English; Spanish alerts come as separate ones
    info["category"] = [props["category"]] if props.get("category") else []
    info["area"] = [
        {
            "areaDesc": props.get("areaDesc"),
            "polygon": _polygons(geometry),
            "geocode": [
                {"valueName": name, "value": value}
                for name, values in geocode.items()
                for value in (values if isinstance(values, list) else [values])
            ],
        }
    ]
    return {
        "identifier": props.get("id"),
        "sender": props.get("sender") or "api.weather.gov",
        "sent": props.get("sent"),
        "status": props.get("status"),
        "msgType": props.get("messageType"),
        "info": [info],
    }


def _polygons(geometry: Any) -> list[str]:
    """Return GeoJSON (Multi)Polygon outer rings as CAP "lat,lon …" strings."""
    if not isinstance(geometry, dict):
        return []
    coords = geometry.get("coordinates") or []
    polygons = coords if geometry.get("type") == "MultiPolygon" else [coords]
    if geometry.get("type") not in ("Polygon", "MultiPolygon"):
        return []
    rings = []
    for polygon in polygons:
        if polygon and isinstance(polygon[0], list):
            ring = polygon[0]
            rings.append(" ".join(f"{p[1]},{p[0]}" for p in ring if len(p) >= 2))
    return rings
