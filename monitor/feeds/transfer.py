"""Bringing a feed list from another reader (OPML import) and taking it away (OPML export)."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from sqlmodel import Session, col, select

from monitor.errors import InvalidInput
from monitor.feeds import opml
from monitor.feeds import service as feeds
from monitor.feeds.models import Feed, FeedCreate, OpmlImported
from monitor.settings import Settings

URL_MAX = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}


def normalised_url(url: str) -> str:
    """Return the form two spellings of one feed address share (case, default port, fragment)."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    if ":" in host:
        host = f"[{host}]"
    port = parts.port
    netloc = host if port in (None, _DEFAULT_PORTS.get(scheme)) else f"{host}:{port}"
    if parts.username is not None:  # credentials are part of which feed it is
        netloc = f"{parts.netloc.rpartition('@')[0]}@{netloc}"
    return urlunsplit((scheme, netloc, parts.path or "/", parts.query, ""))


def import_opml(*, session: Session, settings: Settings, body: bytes) -> OpmlImported:
    """Add the feeds of an OPML file with their folders as tags; skip and count duplicates.

    Every address is checked first (http(s), length, no private address); one bad address
    refuses the whole file, so a list is never half imported.
    """
    outlines = opml.parse(body)
    refused = [why for o in outlines if (why := _refusal(o.url, settings)) is not None]
    if refused:
        more = f" (and {len(refused) - 1} more)" if len(refused) > 1 else ""
        raise InvalidInput("file", f"{refused[0]}{more}; nothing was imported")
    known = {normalised_url(url) for url in session.exec(select(Feed.url)).all()}
    added, duplicates = [], 0
    for outline in outlines:
        key = normalised_url(outline.url)
        if key in known:
            duplicates += 1
            continue
        known.add(key)
        data = FeedCreate(url=outline.url, name=outline.name, tags=feeds.clean_tags(outline.tags))
        added.append(feeds.add_feed(session=session, data=data))
    return OpmlImported(added=len(added), duplicates=duplicates, outlines=len(outlines))


def _refusal(url: str, settings: Settings) -> str | None:
    if len(url) > URL_MAX:
        return f"a feed address longer than {URL_MAX} characters"
    try:
        feeds.guard_url(url, settings=settings)
    except InvalidInput as exc:
        return str(exc)
    return None


def export_opml(*, session: Session) -> bytes:
    """Return every feed as an OPML 2.0 document, in id order."""
    return opml.render(list(session.exec(select(Feed).order_by(col(Feed.id))).all()))
