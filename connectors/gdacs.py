"""GDACS RSS (Global Disaster Alert and Coordination System): typed hazard alerts with geometry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from connectors.base import Connector, Item, Items, ParseError, build_items, item_id
from connectors.fields import alpha2_list, clip_raw, number, scope, valid_point
from connectors.hazards import GDACS_EVENT, GDACS_SEVERITY
from connectors.text import html_to_text, to_utc_iso
from connectors.xmlsafe import XmlStream, children, local, namespace, text

GDACS_NS = "http://www.gdacs.org"


class GdacsConnector(Connector):
    """GDACS RSS: event type, alert level, severity, countries, point and bbox per item."""

    kind = "gdacs"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for RSS that declares the GDACS namespace."""
        head = body[:8192]
        return b"<rss" in head and b"gdacs.org" in head

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Parse every <item> of the channel."""
        stream = XmlStream(body)
        if local(stream.root.tag) != "rss":
            raise ParseError(
                f"not GDACS RSS: root element is <{local(stream.root.tag)}>, not <rss>"
            )
        return build_items(
            stream.records({"item"}), lambda node: self._item(node, feed_id=feed_id, url=url)
        )

    def _item(self, node: ET.Element, *, feed_id: int | None, url: str | None) -> Item:
        g = _gdacs_fields(node)
        title = html_to_text(text(node, "title"))
        body = html_to_text(text(node, "description"))
        link = text(node, "link")
        event_code = (g.get("eventtype") or "").upper()
        level = (g.get("alertlevel") or "").lower()
        lat, lon = _point(node)
        severity = next(children(node, "severity"), None)
        extra: dict[str, Any] = {
            "eventtype": event_code or None,
            "eventid": g.get("eventid"),
            "episodeid": g.get("episodeid"),
            "eventname": g.get("eventname"),
            "alertlevel": g.get("alertlevel"),
            "alertscore": number(g.get("alertscore")),
            "episodealertlevel": g.get("episodealertlevel"),
            "severity_value": number(severity.get("value")) if severity is not None else None,
            "severity_unit": (severity.get("unit") or None) if severity is not None else None,
            "severity_text": g.get("severity"),
            "population": g.get("population"),
            "country": g.get("country"),
            "iso3": g.get("iso3"),
            "fromdate": to_utc_iso(g.get("fromdate")),
            "todate": to_utc_iso(g.get("todate")),
            "iscurrent": _boolean(g.get("iscurrent")),
            "cap": g.get("cap"),
        }
        return Item(
            id=item_id(scope(feed_id, url), guid=text(node, "guid"), link=link, content=title),
            feed_id=feed_id,
            kind=self.kind,
            title=title,
            body=body,
            url=link,
            published=to_utc_iso(text(node, "pubDate")) or extra["fromdate"],
            language="en",  # GDACS publishes in English only
            lat=lat,
            lon=lon,
            bbox=_bbox(g.get("bbox")),
            country_hint=alpha2_list([g.get("iso3"), g.get("country")]),
            severity_hint=GDACS_SEVERITY.get(level),
            event_hint=GDACS_EVENT.get(event_code),
            categories=[event_code] if event_code else [],
            extra={key: value for key, value in extra.items() if value is not None},
            raw=clip_raw(ET.tostring(node, encoding="unicode")),
        )


def _gdacs_fields(node: ET.Element) -> dict[str, str]:
    """Return the text of each direct gdacs:* child by local name (the first one wins)."""
    fields: dict[str, str] = {}
    for child in node:
        if namespace(child.tag) == GDACS_NS and (value := text(child)):
            fields.setdefault(local(child.tag), value)
    return fields


def _point(node: ET.Element) -> tuple[float | None, float | None]:
    point = next(children(node, "Point"), None)
    if point is not None:
        lat, lon = valid_point(number(text(point, "lat")), number(text(point, "long")))
        if lat is not None:
            return lat, lon
    parts = (text(node, "point") or "").split()  # georss:point is "lat lon"
    if len(parts) == 2:
        return valid_point(number(parts[0]), number(parts[1]))
    return None, None


def _bbox(value: str | None) -> list[float] | None:
    """Return [min_lon, min_lat, max_lon, max_lat] from GDACS's "lonmin lonmax latmin latmax"."""
    parts = [number(p) for p in (value or "").split()]
    if len(parts) != 4 or any(p is None for p in parts):
        return None
    lon_min, lon_max, lat_min, lat_max = (float(p) for p in parts if p is not None)
    return [lon_min, lat_min, lon_max, lat_max]


def _boolean(value: str | None) -> bool | None:
    return None if value is None else value.strip().lower() == "true"
