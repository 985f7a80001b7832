"""Feed kinds by name, imported lazily, and the one entry point that parses a fetched body."""

from __future__ import annotations

import importlib
import logging

from connectors.base import Connector, Items, ParseError
from connectors.clean import clean_items
from connectors.xmlsafe import check_size

log = logging.getLogger(__name__)

# kind -> "module:Class" (Faust's FactoryMapping style). The order is the detection order:
# specific formats first, RSS/Atom last because feedparser accepts almost any markup.
KINDS: dict[str, str] = {
    "nws": "connectors.nws:NwsConnector",
    "usgs": "connectors.usgs:UsgsConnector",
    "jsonfeed": "connectors.jsonfeed:JsonFeedConnector",
    "gdacs": "connectors.gdacs:GdacsConnector",
    "cap": "connectors.cap:CapConnector",
    "rss": "connectors.rss:RssConnector",
}

_instances: dict[str, Connector] = {}


def get(kind: str) -> Connector:
    """Return the connector registered for `kind`."""
    if kind in _instances:
        return _instances[kind]
    if kind not in KINDS:
        raise ParseError(f"unknown feed kind {kind!r}; known: {', '.join(sorted(KINDS))}")
    module_name, _, class_name = KINDS[kind].partition(":")
    try:
        connector = getattr(importlib.import_module(module_name), class_name)()
    except (ImportError, AttributeError) as exc:
        raise ParseError(f"feed kind {kind!r} cannot be loaded: {exc}") from None
    _instances[kind] = connector
    return connector


def detect_kind(body: bytes, content_type: str | None = None) -> str:
    """Return the kind of a body, asking each connector in `KINDS` order whether it fits."""
    for kind in KINDS:
        try:
            if type(get(kind)).sniff(body, content_type):
                return kind
        except ParseError as exc:  # a broken kind is logged and skipped, not fatal to the rest
            log.warning("%s", exc)
    raise ParseError("not a recognised feed (no RSS/Atom, CAP, GDACS, GeoJSON or JSON Feed)")


def parse(
    body: bytes,
    *,
    kind: str | None = None,
    feed_id: int | None = None,
    url: str | None = None,
    content_type: str | None = None,
) -> Items:
    """Parse a body into safe items, detecting its kind when none is given; fail with `ParseError`.

    The result's `skipped` counts the entries left out (malformed, over the limits) and the
    links dropped because they were not http(s).
    """
    check_size(body)
    kind = kind or detect_kind(body, content_type)
    connector = get(kind)
    try:
        return clean_items(
            connector.parse(body, feed_id=feed_id, url=url, content_type=content_type)
        )
    except ParseError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError(f"{kind}: document too deeply nested or too large ({exc})") from None
    except Exception as exc:
        # A parser bug on odd input must not take the poller down; keep the trace for debugging.
        log.debug("%s parser failed on %s", kind, url, exc_info=True)
        raise ParseError(f"{kind}: cannot parse ({type(exc).__name__}: {exc})") from None
