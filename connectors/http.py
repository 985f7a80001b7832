"""Fetch one feed politely: conditional GET, manual redirects, bounded time and size."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import re
import ssl
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from connectors.netguard import Allowlist, GuardedTransport, RefusedAddress
from monitor.settings import Settings

PERMANENT = {301, 308}
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """A fetch that failed; the message says why in words an operator can act on."""


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


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle takes ~25 ms; every client shares one context.
    return httpx.create_ssl_context(trust_env=False)


def make_client(settings: Settings, *, connections: int = 8) -> httpx.AsyncClient:
    """Return a client: guarded connections, timeouts, our User-Agent, no auto-redirect."""
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    allow = Allowlist(settings.allow_private_hosts)
    return httpx.AsyncClient(
        transport=GuardedTransport(allow, limits, ssl_context=_ssl_context()),
        timeout=httpx.Timeout(
            connect=settings.fetch_connect_timeout,
            read=settings.fetch_read_timeout,
            write=settings.fetch_read_timeout,
            pool=None,  # waiting for a free connection is bounded by the poller's semaphores
        ),
        headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
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
    """Fetch `url` once; raise FetchError for network, size, time or address problems."""
    try:
        async with asyncio.timeout(settings.fetch_total_timeout):
            return await _follow(client, url, settings, etag, last_modified)
    except TimeoutError as exc:
        raise FetchError(f"timed out after {settings.fetch_total_timeout:.0f}s in total") from exc
    except RefusedAddress as exc:
        raise FetchError(f"refused: {exc}") from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({type(exc).__name__}) fetching {url}") from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"network error fetching {url}: {exc or type(exc).__name__}") from exc
    except (httpx.InvalidURL, ValueError, OverflowError) as exc:
        raise FetchError(f"invalid URL {url}: {exc}") from exc


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
    for _ in range(settings.fetch_max_redirects + 1):
        if not url.startswith(("http://", "https://")):
            raise FetchError(f"not an http(s) URL: {url}")
        urlsplit(url).port  # noqa: B018  (raises ValueError for a port out of range)
        async with client.stream("GET", url, headers=headers) as resp:
            if resp.status_code in REDIRECTS and "location" in resp.headers:
                await _drain(resp)
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
            )
            if resp.status_code == 200:
                result.body = await read_limited(resp, settings.fetch_max_bytes)
            else:
                await _drain(resp)
            return result
        # Only reached after a redirect; the loop goes on with the new URL.
    raise FetchError(f"more than {settings.fetch_max_redirects} redirects, last to {url}")


async def _drain(resp: httpx.Response) -> None:
    # A response read to its end leaves the connection reusable (keep-alive); a large error
    # page is not worth it, the connection is dropped instead.
    with contextlib.suppress(FetchError):
        await read_limited(resp, 64 * 1024)


async def read_limited(resp: httpx.Response, limit: int) -> bytes:
    """Read and decode the body, stopping as soon as the decoded size passes `limit`."""
    decoder = Decoder(resp.headers.get("content-encoding", ""), limit)
    parts = [decoder.feed(chunk) async for chunk in resp.aiter_raw()]
    parts.append(decoder.flush())
    return b"".join(parts)


class Decoder:
    """Decompress gzip/deflate incrementally, never producing more than `limit` bytes."""

    def __init__(self, encoding: str, limit: int) -> None:
        encoding = encoding.strip().lower()
        self.limit, self.size = limit, 0
        if encoding in ("", "identity"):
            self.z = None
        elif encoding in ("gzip", "x-gzip"):
            self.z = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self.z = zlib.decompressobj()
        else:
            raise FetchError(f"unsupported Content-Encoding {encoding!r}")

    def feed(self, chunk: bytes) -> bytes:
        """Return the decoded bytes of `chunk`; raise FetchError past the limit."""
        if self.z is None:
            return self._count(chunk)
        out, data = [], chunk
        try:
            while data:
                # max_length caps what one call may inflate, so a bomb never fills memory.
                out.append(self._count(self.z.decompress(data, self.limit - self.size + 1)))
                data = self.z.unconsumed_tail
        except zlib.error as exc:
            raise FetchError(f"corrupt compressed body: {exc}") from exc
        return b"".join(out)

    def flush(self) -> bytes:
        """Return whatever the decompressor still holds."""
        return self._count(self.z.flush()) if self.z is not None else b""

    def _count(self, data: bytes) -> bytes:
        self.size += len(data)
        if self.size > self.limit:
            raise FetchError(f"body larger than {self.limit} bytes (decoded); not read further")
        return data


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
