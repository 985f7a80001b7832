"""Read a response body within a size limit, decompressing gzip/deflate ourselves."""

from __future__ import annotations

import contextlib
import zlib

import httpx


class FetchError(Exception):
    """A fetch that failed; the message says why in words an operator can act on."""


async def drain(resp: httpx.Response) -> None:
    """Read and drop a non-feed response, so its connection can be reused."""
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
