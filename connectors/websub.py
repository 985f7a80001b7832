"""WebSub discovery: the hub and topic a fetched feed names (its Link header, then its links).

Every hub address passes the SSRF guard's literal check here, and again (on what it resolves
to) when the subscriber connects to it.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from connectors.http import FetchResult
from connectors.netguard import Allowlist, literal_refusal
from monitor.settings import Settings

_LINK = re.compile(r"<([^>]*)>((?:\s*;\s*[^;,]+)*)")
_REL = re.compile(r"""\brel\s*=\s*(?:"([^"]*)"|([^\s;,"]+))""", re.IGNORECASE)


def link_header(header: str | None) -> dict[str, str]:
    """Return the first URL of each rel a Link header names (`rel="hub self"` names two)."""
    links: dict[str, str] = {}
    for match in _LINK.finditer((header or "")[:8192]):
        rel = _REL.search(match.group(2))
        if rel is not None:
            for name in (rel.group(1) or rel.group(2) or "").lower().split():
                links.setdefault(name, match.group(1).strip())
    return links


def usable(url: str | None, settings: Settings) -> str | None:
    """Return `url` if it is an http(s) address the SSRF guard would let us reach, else None."""
    if not url or len(url) > 2048:
        return None
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    allow = Allowlist(settings.fetch.allow_private_hosts)
    return None if literal_refusal(parts.hostname, port, allow) else url


def discover(
    result: FetchResult, links: dict[str, str], settings: Settings
) -> tuple[str | None, str | None]:
    """Return the hub and topic a fetched feed names: its Link header first, then its own links."""
    header = link_header(result.link)
    hub = header.get("hub") or links.get("hub")
    topic = header.get("self") or links.get("self") or result.url
    base = result.url
    hub = usable(urljoin(base, hub), settings) if hub else None
    return hub, (urljoin(base, topic) if hub else None)
