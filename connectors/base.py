"""The connector contract: a normalised `Item`, and the `Connector` each feed kind implements."""

from __future__ import annotations

import hashlib
import logging
import time
from abc import ABC, abstractmethod
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, TypeVar

RAW_LIMIT = 4096  # characters of the source record kept in `Item.raw`
# One parse keeps at most this many entries and stops after this long, so a huge or hostile
# body cannot stall a poller. Real feeds stay far below both (USGS's month: ~10,000 entries).
MAX_ITEMS = 10_000
PARSE_SECONDS = 30.0

log = logging.getLogger(__name__)
Entry = TypeVar("Entry")


class ParseError(Exception):
    """A feed body that cannot be parsed; the message is one line an operator can act on."""


@dataclass
class Item:
    """One normalised feed entry, as produced to the Kafka `items` topic (key: `id`)."""

    id: str
    feed_id: int | None
    kind: str
    title: str
    body: str
    url: str | None = None
    published: str | None = None  # UTC, ISO 8601
    language: str | None = None
    lat: float | None = None
    lon: float | None = None
    bbox: list[float] | None = None  # [min_lon, min_lat, max_lon, max_lat]
    country_hint: list[str] = field(default_factory=list)  # ISO 3166-1 alpha-2
    severity_hint: str | None = None  # low, medium, high, critical
    event_hint: str | None = None  # an event type of the shared vocabulary
    categories: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)  # typed source fields (magnitude, …)
    raw: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON-ready message value."""
        return asdict(self)


class Items(list[Item]):
    """The items of one parse, and how many entries were skipped for each reason."""

    def __init__(self, items: Iterable[Item] = (), skipped: Counter[str] | None = None) -> None:
        super().__init__(items)
        self.skipped: Counter[str] = Counter(skipped or {})
        self.links: dict[str, str] = {}  # the feed's own links by rel (`hub`, `self`: WebSub)

    def note(self) -> str | None:
        """Return one line saying what was skipped, or None when nothing was."""
        if not self.skipped:
            return None
        return "skipped " + "; ".join(f"{n} {why}" for why, n in sorted(self.skipped.items()))


def build_items(
    entries: Iterable[Entry],
    build: Callable[[Entry], Item | None],
    *,
    limit: int = MAX_ITEMS,
    seconds: float = PARSE_SECONDS,
) -> Items:
    """Build one item per entry; a malformed entry is skipped and counted, not fatal to the rest.

    Stops at `limit` items or after `seconds`, counting what was left unread.
    """
    items = Items()
    deadline = time.monotonic() + seconds
    iterator = iter(entries)
    for entry in iterator:
        if time.monotonic() > deadline:
            items.skipped[f"entries or more left unread at the {seconds:g}s time limit"] += 1
            break
        if len(items) >= limit:
            # Counting the rest is cheap next to building items; the reader is still bounded.
            items.skipped[f"entries over the {limit:,}-item limit"] += 1 + sum(1 for _ in iterator)
            break
        try:
            item = build(entry)
        except Exception as exc:  # one bad entry (a wrong type anywhere) must not sink the feed
            log.debug("skipping a malformed entry: %s: %s", type(exc).__name__, exc)
            items.skipped["malformed entries"] += 1
            continue
        if item is not None:
            items.append(item)
    return items


def item_id(
    feed_scope: str | int | None,
    *,
    guid: str | None = None,
    link: str | None = None,
    content: str = "",
) -> str:
    """Return a stable id: the guid, else the link, else the content, hashed within the feed."""
    basis = guid or link or content
    return hashlib.sha256(f"{feed_scope}\x1f{basis}".encode()).hexdigest()


class Connector(ABC):
    """One feed kind. Subclasses register by `kind` in `connectors.registry`."""

    kind: ClassVar[str]

    @classmethod
    @abstractmethod
    def sniff(cls, body: bytes, content_type: str | None) -> bool:
        """Return True when `body` looks like this kind; called when a feed has no kind."""

    @abstractmethod
    def parse(
        self, body: bytes, *, feed_id: int | None, url: str | None, content_type: str | None = None
    ) -> list[Item]:
        """Parse a fetched body into items; raise `ParseError` when it is not this kind.

        Connectors build their items with `build_items`, so the list they return is an `Items`
        that also counts what was skipped.
        """
