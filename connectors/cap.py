"""CAP 1.1/1.2 alerts, Atom/RSS indexes of CAP (NWS, MeteoAlarm) and the MeteoAlarm JSON API."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from connectors.base import Connector, Item, Items, ParseError, build_items
from connectors.capinfo import cap_item
from connectors.fields import clip_raw
from connectors.jsonbody import json_head, load_json, require_object
from connectors.xmlsafe import XmlStream, children, local, namespace, text, texts

CAP_NS = "urn:oasis:names:tc:emergency:cap:"
_ALERT_FIELDS = ("identifier", "sender", "sent", "status", "msgType", "scope")
_INFO_FIELDS = (
    "language", "event", "urgency", "severity", "certainty", "onset", "effective", "expires",
    "senderName", "headline", "description", "instruction", "web",
)  # fmt: skip


class CapConnector(Connector):
    """Common Alerting Protocol: one item per alert, from XML, a CAP index, or MeteoAlarm JSON."""

    kind = "cap"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for XML in the CAP namespace, or MeteoAlarm's JSON warnings."""
        head = json_head(body)
        if head is not None:
            return b'"warnings"' in head and b'"alert"' in head
        return CAP_NS.encode() in body[:8192] or "cap+xml" in (content_type or "")

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Parse a CAP alert, an Atom/RSS index of alerts, or a MeteoAlarm warnings document."""
        if json_head(body) is not None:
            return self._meteoalarm(body, feed_id=feed_id, url=url)
        stream = XmlStream(body)
        name = local(stream.root.tag)
        if name == "alert":
            alert = stream.document()
            return build_items([alert], lambda node: self._alert(node, feed_id=feed_id, url=url))
        if name == "feed":
            entries = stream.records({"entry"})
        elif name in ("rss", "RDF"):
            entries = stream.records({"item"})
        else:
            raise ParseError(f"not CAP: root element <{name}> is neither <alert> nor a CAP index")
        items = build_items(entries, lambda entry: self._entry(entry, feed_id=feed_id, url=url))
        items.links = _index_links(stream.root)  # read once the entries are: they come first
        return items

    def _alert(
        self, root: ET.Element, *, feed_id: int | None, url: str | None, link: str | None = None
    ) -> Item:
        alert = alert_dict(root)
        raw = clip_raw(ET.tostring(root, encoding="unicode"))
        return cap_item(alert, kind=self.kind, feed_id=feed_id, url=url, raw=raw, link=link)

    def _entry(self, entry: ET.Element, *, feed_id: int | None, url: str | None) -> Item:
        """Return the item for one Atom entry or RSS item of a CAP index."""
        link = _entry_link(entry)
        embedded = next((e for e in entry.iter() if local(e.tag) == "alert"), None)
        if embedded is not None:  # some indexes carry the whole alert in <content>
            return self._alert(embedded, feed_id=feed_id, url=url, link=link)
        cap = {local(c.tag): c for c in entry if namespace(c.tag).startswith(CAP_NS)}
        summary = text(entry, "summary") or text(entry, "description") or text(entry, "content")
        info: dict[str, Any] = {n: text(cap.get(n)) for n in _INFO_FIELDS if n in cap}
        info.update(headline=text(entry, "title"), description=summary)
        info["area"] = [
            {
                "areaDesc": text(cap.get("areaDesc")),
                "polygon": [text(c) for c in entry if local(c.tag) == "polygon"],
                "geocode": [_pair(c) for c in entry if local(c.tag) == "geocode"],
            }
        ]
        alert: dict[str, Any] = {
            "identifier": text(cap.get("identifier")),
            "sent": text(cap.get("sent")),
            "updated": text(entry, "published") or text(entry, "updated") or text(entry, "pubDate"),
            "status": text(cap.get("status")),
            "msgType": text(cap.get("msgType")) or text(cap.get("message_type")),
            "info": [info],
        }
        guid = text(entry, "id") or text(entry, "guid") or alert["identifier"]
        raw = clip_raw(ET.tostring(entry, encoding="unicode"))
        return cap_item(
            alert, kind=self.kind, feed_id=feed_id, url=url, raw=raw, link=link, guid=guid
        )

    def _meteoalarm(self, body: bytes, *, feed_id: int | None, url: str | None) -> Items:
        data = require_object(load_json(body, what="MeteoAlarm"), what="MeteoAlarm warnings")
        warnings = data.get("warnings")
        if not isinstance(warnings, list):
            raise ParseError("not MeteoAlarm JSON: no 'warnings' list")

        def build(warning: Any) -> Item:
            alert = warning.get("alert")
            if not isinstance(alert, dict):
                raise ValueError("a warning without an alert object")
            guid = warning.get("uuid") or alert.get("identifier")
            raw = clip_raw(warning)
            return cap_item(alert, kind=self.kind, feed_id=feed_id, url=url, raw=raw, guid=guid)

        return build_items(warnings, build)


def alert_dict(root: ET.Element) -> dict[str, Any]:
    """Return a CAP <alert> element as a dict with CAP's field names (see `connectors.capinfo`)."""
    alert: dict[str, Any] = {name: text(root, name) for name in _ALERT_FIELDS}
    alert["info"] = [_info_dict(info) for info in children(root, "info")]
    return alert


def _info_dict(node: ET.Element) -> dict[str, Any]:
    info: dict[str, Any] = {name: text(node, name) for name in _INFO_FIELDS}
    info["language"] = info["language"] or "en-US"  # CAP's default when <language> is absent
    info["category"] = texts(node, "category")
    info["parameter"] = [_pair(p) for p in children(node, "parameter")]
    info["area"] = [
        {
            "areaDesc": text(area, "areaDesc"),
            "polygon": texts(area, "polygon"),
            "circle": texts(area, "circle"),
            "geocode": [_pair(g) for g in children(area, "geocode")],
        }
        for area in children(node, "area")
    ]
    return info


def _pair(node: ET.Element) -> dict[str, str | None]:
    return {"valueName": text(node, "valueName"), "value": text(node, "value")}


def _index_links(root: ET.Element) -> dict[str, str]:
    """Return an index's own `hub` and `self` links (Atom `<link>`, RSS `<atom:link>`)."""
    links: dict[str, str] = {}
    parents = [root, *(c for c in root if local(c.tag) == "channel")]
    for node in (c for parent in parents for c in parent if local(c.tag) == "link"):
        rel, href = node.get("rel"), (node.get("href") or "").strip()
        if rel in ("hub", "self") and href:
            links.setdefault(rel, href)
    return links


def _entry_link(entry: ET.Element) -> str | None:
    """Return the link to the full CAP alert when the entry has one, else its first link."""
    links = list(children(entry, "link"))
    for node in links:
        if "cap" in (node.get("type") or ""):
            return node.get("href")
    for node in links:
        if href := node.get("href") or text(node):
            return href
    return None
