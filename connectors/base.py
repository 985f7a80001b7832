"""The connector contract: a normalised `Item`, and the `Connector` each feed kind implements."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar

RAW_LIMIT = 4096  # characters of the source record kept in `Item.raw`


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
        """Parse a fetched body into items; raise `ParseError` when it is not this kind."""
