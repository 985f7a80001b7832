"""JSON Feed 1.0/1.1 (jsonfeed.org): the JSON sibling of RSS."""

from __future__ import annotations

from typing import Any

from connectors.base import Connector, Item, Items, ParseError, build_items, item_id
from connectors.fields import clip_raw, scope
from connectors.jsonbody import json_head, load_json, require_object
from connectors.text import html_to_text, language_tag, squash, to_utc_iso


class JsonFeedConnector(Connector):
    """A JSON Feed: items with title, HTML or text content, url, dates and tags."""

    kind = "jsonfeed"

    @classmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True for JSON that declares a jsonfeed.org version."""
        head = json_head(body)
        return bool(head and b"jsonfeed.org/version" in head)

    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> Items:
        """Return one item per entry of `items`."""
        data = require_object(load_json(body, what="JSON Feed"), what="a JSON Feed")
        entries = data.get("items")
        if not isinstance(entries, list):
            raise ParseError("not a JSON Feed: no 'items' list")
        language = language_tag(data.get("language"))
        return build_items(entries, lambda e: self._item(e, language, feed_id=feed_id, url=url))

    def _item(
        self, entry: Any, language: str | None, *, feed_id: int | None, url: str | None
    ) -> Item | None:
        if not isinstance(entry, dict):
            raise ValueError("an entry that is not an object")
        title = html_to_text(_str(entry.get("title")))
        content = _str(entry.get("content_html")) or _str(entry.get("content_text"))
        body = html_to_text(content or _str(entry.get("summary")))
        if not title and not body:
            return None
        link = _str(entry.get("url")) or _str(entry.get("external_url")) or None
        guid = entry.get("id")
        tags = entry["tags"] if isinstance(entry.get("tags"), list) else []
        return Item(
            id=item_id(scope(feed_id, url), guid=str(guid) if guid else None, link=link,
                       content=title + body),
            feed_id=feed_id,
            kind=self.kind,
            title=title,
            body=body,
            url=link,
            published=to_utc_iso(entry.get("date_published") or entry.get("date_modified")),
            language=language_tag(entry.get("language")) or language,
            categories=[squash(t) for t in tags if isinstance(t, str) and t.strip()],
            raw=clip_raw(entry),
        )  # fmt: skip


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""
