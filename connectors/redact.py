"""Keep credentials out of what is shown: a feed URL's `user:password@` becomes `***@`.

Feeds behind basic auth carry their credentials in the URL; the URL itself is needed to fetch,
but every error, log line and listing shows it redacted.
"""

from __future__ import annotations

import logging
import re

# scheme://userinfo@ — userinfo runs to the first "@" before the path, query or fragment.
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#@\s\"'<>]*@")


def redact(text: str) -> str:
    """Return `text` with the userinfo of every URL in it replaced by `***`."""
    return _USERINFO.sub(r"\1***@", text) if "@" in text else text


def redact_url(url: str | None) -> str:
    """Return a URL with its userinfo replaced by `***` (the rest unchanged)."""
    return redact(url) if url else ""


class RedactingFormatter(logging.Formatter):
    """A log formatter that redacts URL credentials in the message and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        """Format as usual, then redact."""
        return redact(super().format(record))
