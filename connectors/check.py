"""Fetch a feed URL once and parse it, the way a poll would, without producing anything.

The public call behind `monitor feeds check` and `POST /api/v1/feeds/check`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from connectors.base import Item, ParseError
from connectors.handler import http_error, parse_body
from connectors.http import FetchError, fetch, make_client
from monitor.models import Feed
from monitor.settings import Settings


@dataclass
class Checked:
    """What one fetch of a URL gave: a status, the detected kind and items, or an error."""

    url: str
    status: int | None = None
    kind: str | None = None
    items: list[Item] = field(default_factory=list)
    moved_to: str | None = None
    error: str | None = None


async def check_url(
    url: str, *, settings: Settings, kind: str | None = None, feed_id: int | None = None
) -> Checked:
    """Fetch `url` once and parse a 200 body with `kind` (detected when None)."""
    out = Checked(url=url)
    try:
        async with make_client(settings) as client:
            result = await fetch(client, url, settings=settings)
    except FetchError as exc:
        out.error = str(exc)
        return out
    out.status, out.moved_to = result.status, result.moved_to
    if result.status != 200:
        out.error = None if result.status == 304 else http_error(result)
        return out
    try:
        out.kind, out.items = parse_body(Feed(id=feed_id, url=url, kind=kind), result)
    except ParseError as exc:
        out.error = f"cannot parse the feed: {exc}"
    return out
