"""RSS 0.9x/1.0/2.0 and Atom feeds, parsed by feedparser (news, NHC outlooks, most sources)."""

from __future__ import annotations

import io
from typing import Any

import feedparser

from connectors.base import Connector, Item, Items, ParseError, build_items, item_id
from connectors.clean import unwrap_redirect
from connectors.fields import bbox_of, centroid, clip_raw, number, scope, valid_point
from connectors.text import html_to_text, language_tag, squash, struct_to_iso, to_utc_iso
from connectors.trim import trim
from connectors.xmlsafe import check_size, prologue, screen_entities

_MARKUP_TYPES = ("xml", "rss", "atom", "rdf", "html")


class RssConnector(Connector):
    """Any syndication feed feedparser understands, with GeoRSS points when present."""

    kind = "rss"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for anything that starts like markup or is served as XML."""
        head = body[:4096].replace(b"\x00", b"").lstrip(b"\xef\xbb\xbf\xfe\xff \t\r\n")
        return head.startswith(b"<") or any(t in (content_type or "") for t in _MARKUP_TYPES)

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Parse the feed; a document that is not a feed at all raises `ParseError`."""
        check_size(body)
        screen_entities(body)
        # feedparser reads the whole document before returning any entry: cut the body first.
        body, cut = trim(body)
        headers = {"content-type": content_type} if content_type else {}
        # Always a stream, never a str: feedparser would fetch a string that looks like a URL.
        # Links inside content are not resolved: items carry plain text, and that pass (an
        # SGML parser in pure Python) took most of the time on a feed with large HTML content.
        result = feedparser.parse(
            io.BytesIO(body),
            response_headers=headers,
            sanitize_html=False,
            resolve_relative_uris=False,
        )
        entries = result.get("entries") or []
        if not entries:
            if not result.get("version"):
                raise ParseError(_reason(result, body))
            empty = Items()
            empty.links = _feed_links(result.get("feed") or {})
            return empty
        feed = result.get("feed") or {}
        items = build_items(entries, lambda e: self._item(e, feed, feed_id=feed_id, url=url))
        items.skipped.update(cut)
        items.links = _feed_links(feed)
        return items

    def _item(self, entry: Any, feed: Any, *, feed_id: int | None, url: str | None) -> Item | None:
        title = html_to_text(entry.get("title"))
        body = html_to_text(_longest_text(entry))
        if not title and not body:
            return None
        given = entry.get("link") or None
        link = unwrap_redirect(given)  # before the id: two searches' redirects are one article
        guid = entry.get("id")
        guid = link if guid is not None and guid == given else guid
        lat, lon, bbox = _where(entry)
        return Item(
            id=item_id(scope(feed_id, url), guid=guid, link=link, content=title + body),
            feed_id=feed_id,
            kind=self.kind,
            title=title,
            body=body,
            url=link,
            published=struct_to_iso(entry.get("published_parsed") or entry.get("updated_parsed"))
            or to_utc_iso(entry.get("published") or entry.get("updated")),
            language=_language(entry, feed),
            lat=lat,
            lon=lon,
            bbox=bbox,
            categories=[squash(t["term"]) for t in entry.get("tags") or [] if t.get("term")],
            raw=clip_raw(dict(entry)),
        )


def _feed_links(feed: Any) -> dict[str, str]:
    """Return the feed's own `hub` and `self` links (`<link>`, `<atom:link>`), first of each."""
    links: dict[str, str] = {}
    for link in feed.get("links") or []:
        rel, href = link.get("rel"), link.get("href")
        if rel in ("hub", "self") and isinstance(href, str) and href:
            links.setdefault(rel, href.strip())
    return links


def _reason(result: Any, body: bytes) -> str:
    exc = result.get("bozo_exception")
    if not body.strip():
        return "empty document"
    if exc is not None:
        return f"not a readable RSS/Atom feed: {squash(str(exc)) or type(exc).__name__}"
    if b"<html" in prologue(body).lower() or b"<html" in body[:2048].lower():
        return "an HTML page, not an RSS/Atom feed"
    return "not an RSS/Atom feed (no channel, feed or entries found)"


def _longest_text(entry: Any) -> str:
    # Atom content and RSS content:encoded hold the full text; summary is often a teaser.
    candidates = [c.get("value") or "" for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    return max(candidates, key=len)


def _language(entry: Any, feed: Any) -> str | None:
    for detail in (entry.get("title_detail"), entry.get("summary_detail")):
        if detail and detail.get("language"):
            return language_tag(detail["language"])
    return language_tag(feed.get("language"))


def _where(entry: Any) -> tuple[float | None, float | None, list[float] | None]:
    """Return lat, lon and bbox from GeoRSS (`where`) or W3C geo (`geo_lat`/`geo_long`)."""
    where = entry.get("where") or {}
    coords = where.get("coordinates")
    if where.get("type") == "Point" and coords and len(coords) >= 2:
        lat, lon = valid_point(number(coords[1]), number(coords[0]))
        return lat, lon, None
    if where.get("type") == "Polygon" and coords:
        ring = [
            (lat, lon)
            for pair in coords[0]
            if len(pair) >= 2
            for lat, lon in [valid_point(number(pair[1]), number(pair[0]))]
            if lat is not None and lon is not None
        ]
        lat, lon = centroid(ring)
        return lat, lon, bbox_of(ring)
    lat, lon = valid_point(number(entry.get("geo_lat")), number(entry.get("geo_long")))
    return lat, lon, None
