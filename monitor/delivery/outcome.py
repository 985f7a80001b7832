"""The result of one delivery attempt, whatever the channel."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit


@dataclass(frozen=True)
class Outcome:
    """Delivered, or why not and whether trying again could help."""

    ok: bool
    error: str | None = None
    permanent: bool = False  # retrying cannot help: give up now
    retry_after: float | None = None  # seconds the receiver asked us to wait

    @classmethod
    def failed(cls, error: str, *, permanent: bool = False, retry_after: float | None = None):
        """Return a failed outcome."""
        return cls(False, error, permanent, retry_after)


DELIVERED = Outcome(True)


def redact(url: str) -> str:
    """Return `url` with any user name and password replaced by `***`."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>"
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"***@{host}"))
