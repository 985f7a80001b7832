"""Plain text and dates for items: HTML to text, entities decoded, dates to UTC ISO 8601."""

from __future__ import annotations

import calendar
import re
import time
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser

from feedparser.datetimes import _parse_date as feedparser_date

# Tags whose text is never prose; block tags end a sentence-like run of text.
_SKIP = {"script", "style", "head", "title", "noscript", "template"}
_BLOCK = {
    "p", "div", "br", "li", "ul", "ol", "tr", "td", "th", "table", "h1", "h2", "h3", "h4", "h5",
    "h6", "blockquote", "pre", "section", "article", "figure", "figcaption", "hr", "dd", "dt",
}  # fmt: skip


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCK:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)

    def unknown_decl(self, data: str) -> None:
        # CDATA sections left inside HTML (double-wrapped feeds) still hold the text.
        if data.startswith("CDATA[") and not self._skipping:
            self.parts.append(data[6:])


def squash(text: str) -> str:
    """Collapse every run of whitespace to one space and trim the ends."""
    return " ".join(text.split())


HTML_LIMIT = 256 * 1024  # characters of markup read per field; more is cut, not parsed


def html_to_text(value: str | None) -> str:
    """Return the plain text of HTML: tags dropped, entities decoded, whitespace squashed.

    Only the first `HTML_LIMIT` characters are read: the parser is pure Python (about 2 s per
    MB of tags), and no field of an item keeps more text than that.
    """
    if not value:
        return ""
    if "<" not in value and "&" not in value:
        return squash(value)
    parser = _TextParser()
    parser.feed(value[:HTML_LIMIT])
    parser.close()
    return squash("".join(parser.parts))


# C0/C1 controls (whitespace aside, which `squash` folds) and the bidi overrides and isolates
# that make text display in another order than it reads ("Trojan Source").
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_MARKUP = re.compile(r"<[A-Za-z!?/]|&(?:#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+\d*);")


def plain_text(value: object, limit: int | None = None) -> str:
    """Return text safe to show anywhere: no markup, no control characters, cut to `limit`."""
    if not isinstance(value, str):
        return ""
    text = html_to_text(value)
    # Escaped markup (`&lt;script&gt;`, common in double-encoded feeds) decodes to markup;
    # read it again, a bounded number of times, so what is left is text and no tag.
    for _ in range(3):
        if not _MARKUP.search(text):
            break
        text = html_to_text(text)
    text = _INVISIBLE.sub("", text)
    return text if limit is None or len(text) <= limit else text[: limit - 1] + "…"


_LANGUAGE = re.compile(r"[A-Za-z]{1,8}(?:[-_][A-Za-z0-9]{1,8}){0,7}")


def language_tag(value: object) -> str | None:
    """Return a BCP 47-style tag from feed spellings (`en_US`, `IT-it` → `en-US`, `it-IT`)."""
    if not isinstance(value, str) or not _LANGUAGE.fullmatch(value.strip()):
        return None
    primary, *rest = value.strip().replace("_", "-").split("-")
    return "-".join([primary.lower(), *(part.upper() if len(part) == 2 else part for part in rest)])


def _iso(moment: datetime) -> str | None:
    if moment.tzinfo is None:  # a date without a zone is taken as UTC, the feeds' usual default
        moment = moment.replace(tzinfo=UTC)
    try:
        return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (OverflowError, ValueError):
        return None


def struct_to_iso(value: time.struct_time | None) -> str | None:
    """Return a UTC `struct_time` (as feedparser gives) in ISO 8601, or None."""
    if value is None:
        return None
    try:
        return _iso(datetime.fromtimestamp(calendar.timegm(value), UTC))
    except (OverflowError, ValueError, OSError):
        return None


def epoch_ms_to_iso(value: object) -> str | None:
    """Return milliseconds since the epoch (USGS `time`) in ISO 8601, or None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        return _iso(datetime.fromtimestamp(value / 1000, UTC))
    except (OverflowError, ValueError, OSError):
        return None


def to_utc_iso(value: object) -> str | None:
    """Return a date (ISO 8601, RFC 822 or any form feedparser knows) in UTC ISO 8601, or None."""
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return _iso(datetime(value.year, value.month, value.day))
    if isinstance(value, time.struct_time):
        return struct_to_iso(value)
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    try:
        return _iso(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        pass
    try:
        return _iso(parsedate_to_datetime(text))
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return struct_to_iso(feedparser_date(text))
    except Exception:  # feedparser's date handlers raise assorted errors on odd input
        return None
