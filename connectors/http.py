"""Fetch one feed politely: conditional GET, manual redirects, bounded time and size."""

from __future__ import annotations

import asyncio
import functools
import re
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from connectors.body import FetchError, drain, read_limited
from connectors.netguard import Allowlist, GuardedTransport, RefusedAddress
from connectors.redact import redact
from monitor.settings import Settings

PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}


@dataclass
class FetchResult:
    """What one fetch brought back, and what the poller should remember."""

    status: int
    url: str  # the URL the final response came from
    moved_to: str | None = None  # set when every redirect hop was permanent
    body: bytes | None = None  # None unless status is 200
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    max_age: int | None = None  # Cache-Control max-age, seconds
    retry_after: float | None = None  # seconds, on 429/503
    link: str | None = None  # the Link header (WebSub hubs announce themselves in it)


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~25 ms; every client shares one context.
    return httpx.create_ssl_context(trust_env=False)


def make_client(settings: Settings, *, connections: int = 8) -> httpx.AsyncClient:
    """Return a client: guarded connections, timeouts, our User-Agent, no auto-redirect."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    allow = Allowlist(settings.fetch.allow_private_hosts)
    return httpx.AsyncClient(
        transport=GuardedTransport(allow, limits, ssl_context=_ssl_context()),
        timeout=httpx.Timeout(
            connect=settings.fetch.connect_timeout_s,
            read=settings.fetch.read_timeout_s,
            write=settings.fetch.read_timeout_s,
            pool=None,  # waiting for a free connection is bounded by the poller's semaphores
        ),
        headers={"User-Agent": settings.fetch.user_agent, "Accept-Encoding": "gzip, deflate"},
        follow_redirects=False,
        trust_env=False,
    )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    settings: Settings,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """Fetch `url` once; raise FetchError for network, size, time or address problems.

    Error messages show URLs without their credentials (`user:password@` becomes `***@`).
    """
    try:
        async with asyncio.timeout(settings.fetch.total_timeout_s):
            return await _follow(client, url, settings, etag, last_modified)
    except TimeoutError:
        message = f"timed out after {settings.fetch.total_timeout_s:.0f}s in total"
    except FetchError as exc:
        message = str(exc)
    except RefusedAddress as exc:
        message = f"refused: {exc}"
    except httpx.TimeoutException as exc:
        message = f"timed out ({type(exc).__name__}) fetching {url}"
    except httpx.HTTPError as exc:
        message = f"network error fetching {url}: {exc or type(exc).__name__}"
    except (httpx.InvalidURL, ValueError, OverflowError) as exc:
        message = f"invalid URL {url}: {exc}"
    # No `from exc`: the cause's own text may hold the URL with its credentials.
    raise FetchError(redact(message)) from None


async def _follow(
    client: httpx.AsyncClient,
    url: str,
    settings: Settings,
    etag: str | None,
    last_modified: str | None,
) -> FetchResult:
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    permanent, start = True, url
    for _ in range(settings.fetch.max_redirects + 1):
        if not url.startswith(("http://", "https://")):
            raise FetchError(f"not an http(s) URL: {url}")
        urlsplit(url).port  # noqa: B018  (raises ValueError for a port out of range)
        async with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in REDIRECTS and "location" in resp.headers:
                await drain(resp)
                permanent = permanent and resp.status_code in PERMANENT
                url = urljoin(url, resp.headers["location"])
                continue
            result = FetchResult(
                status=resp.status_code,
                url=url,
                moved_to=url if permanent and url != start else None,
                content_type=resp.headers.get("content-type"),
                etag=resp.headers.get("etag"),
                last_modified=resp.headers.get("last-modified"),
                max_age=max_age(resp.headers.get("cache-control")),
                retry_after=retry_after(resp.headers.get("retry-after")),
                link=resp.headers.get("link"),
            )
            if resp.status_code == 200:
                result.body = await read_limited(resp, settings.fetch.max_bytes)
            else:
                await drain(resp)
            return result
        # Only reached after a redirect; the loop goes on with the new URL.
    raise FetchError(f"more than {settings.fetch.max_redirects} redirects, last to {url}")


def max_age(header: str | None) -> int | None:
    """Return the max-age of a Cache-Control header, or None."""
    match = re.search(r"(?:^|,)\s*max-age\s*=\s*\"?(\d+)", header or "", re.IGNORECASE)
    return int(match.group(1)) if match else None


def retry_after(header: str | None, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After header asks for (delta or HTTP date), or None."""
    if not header:
        return None
    header = header.strip()
    if header.isdigit():
        return float(header)
    try:
        when = parsedate_to_datetime(header)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())
