"""Keep a secret URL out of log lines while it is posted to.

httpx logs every request with its full URL at INFO; a Slack or Teams webhook URL is its only
credential. While `hidden(url, shown)` is active (in this task's context), any log line of
the `httpx` logger names the URL only as `shown`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import urlsplit

_secret: ContextVar[tuple[str, str] | None] = ContextVar("secret_url", default=None)


class HideSecretUrl(logging.Filter):
    """Rewrite a record that names the secret URL (or its path) of the current context."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Mask and pass the record on."""
        secret = _secret.get()
        if secret is None:
            return True
        url, shown = secret
        text = record.getMessage()
        path = urlsplit(url).path
        masked = text.replace(url, shown)
        if len(path) > 1:
            masked = masked.replace(path, "/…")
        if masked != text:
            record.msg, record.args = masked, None
        return True


FILTER = HideSecretUrl()


@contextmanager
def hidden(url: str, shown: str) -> Iterator[None]:
    """Name `url` only as `shown` in httpx's log lines within this block."""
    logging.getLogger("httpx").addFilter(FILTER)  # once: addFilter skips a filter it holds
    token = _secret.set((url, shown))
    try:
        yield
    finally:
        _secret.reset(token)
