"""The last step of every parse: plain text, http(s) links and finite numbers leave a connector.

Feeds are hostile input and items are shown by the tagger, the dashboard, webhooks and whatever
integrators build; so no field carries markup, a `javascript:`/`data:` link or a NaN, whatever
the feed kind or the parser missed.
"""

from __future__ import annotations

import math
import re
from typing import Any
from urllib.parse import parse_qs, urlsplit

from connectors.base import Item, Items
from connectors.text import language_tag, plain_text

TITLE_LIMIT = 1_000
BODY_LIMIT = 100_000  # characters; a Kafka message stays well under the broker's 1 MB default
LABEL_LIMIT = 200  # a category, an extra field's text
MAX_LABELS = 50  # categories
MAX_VALUES = 500  # the values of one extra list (NWS alerts list dozens of zone codes)
EXTRA_DEPTH = 3  # extra holds flat facts; deeper structures are dropped, not passed on
_COUNTRY = re.compile(r"[A-Z]{2}")
_URL_LIMIT = 2_000


def safe_url(value: object) -> str | None:
    """Return `value` when it is an absolute http(s) URL with a host, else None."""
    if not isinstance(value, str):
        return None
    url = value.strip()
    if not url or len(url) > _URL_LIMIT or any(c.isspace() or ord(c) < 32 for c in url):
        return None
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None


# News-search feeds link to a redirect that carries the article's address in a query
# parameter; the same article reached through two searches must be one link (and one id).
# (host, path) -> the parameters that may hold the target, in the order they are tried.
REDIRECTS: dict[tuple[str, str], tuple[str, ...]] = {
    ("news.google.com", "/news/url"): ("url",),
    ("news.google.com", "/url"): ("url", "q"),
    ("www.google.com", "/url"): ("url", "q"),
    ("google.com", "/url"): ("url", "q"),
    ("www.bing.com", "/news/apiclick.aspx"): ("url",),
    ("bing.com", "/news/apiclick.aspx"): ("url",),
}
_MAX_HOPS = 3  # a redirect to a redirect is unwrapped too, this many times at most


def unwrap_redirect(url: str | None) -> str | None:
    """Return the target of a search engine's redirect link, or `url` when it is not one."""
    for _ in range(_MAX_HOPS):
        if url is None or safe_url(url) is None:
            return url
        parts = urlsplit(url.strip())
        names = REDIRECTS.get(((parts.hostname or "").lower(), parts.path))
        if names is None:
            return url
        query = parse_qs(parts.query)
        target = next((query[n][0] for n in names if query.get(n)), None)
        if target is None or safe_url(target) is None:
            return url  # not a target we may follow: keep the link as the feed gave it
        url = target
    return url


def clean_items(items: list[Item]) -> Items:
    """Return the items made safe to pass on, counting the links that were dropped."""
    result = Items(skipped=getattr(items, "skipped", None))
    result.links = dict(getattr(items, "links", {}))
    for item in items:
        if item.url is not None and safe_url(item.url) is None:
            result.skipped["links that are not http(s) (dropped, item kept)"] += 1
        result.append(clean_item(item))
    return result


def clean_item(item: Item) -> Item:
    """Return `item` with every text field plain, its link http(s) or None, numbers finite."""
    item.title = plain_text(item.title, TITLE_LIMIT)
    item.body = plain_text(item.body, BODY_LIMIT)
    item.url = safe_url(unwrap_redirect(item.url))
    item.language = language_tag(item.language)
    item.lat, item.lon = _finite(item.lat), _finite(item.lon)
    if item.bbox is not None and (
        len(item.bbox) != 4 or any(_finite(v) is None for v in item.bbox)
    ):
        item.bbox = None
    item.country_hint = [c for c in item.country_hint if _COUNTRY.fullmatch(str(c))]
    labels = (plain_text(c, LABEL_LIMIT) for c in item.categories)
    item.categories = list(dict.fromkeys(c for c in labels if c))[:MAX_LABELS]
    extra = clean_value(item.extra, EXTRA_DEPTH)
    item.extra = extra if isinstance(extra, dict) else {}
    return item


def clean_value(value: Any, depth: int) -> Any:
    """Return a JSON value with plain text, finite numbers and bounded nesting (None if not)."""
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, float):
        return _finite(value)
    if isinstance(value, str):
        return plain_text(value, LABEL_LIMIT)
    if depth <= 0:
        return None
    if isinstance(value, dict):
        pairs = (
            (plain_text(str(k), LABEL_LIMIT), clean_value(v, depth - 1)) for k, v in value.items()
        )
        return {k: v for k, v in pairs if k and v is not None}
    if isinstance(value, list | tuple):
        values = (clean_value(v, depth - 1) for v in value)
        return [v for v in values if v is not None][:MAX_VALUES]
    return plain_text(str(value), LABEL_LIMIT)


def _finite(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None
