"""A real HTTP server on 127.0.0.1 serving fixture feeds, with behaviour chosen per path.

The `feed_server` and `poll_settings` fixtures that use it live in tests/conftest.py.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from connectors.base import Item
from tests.samples import FIXTURES


@dataclass
class Route:
    """How the server answers one path."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None  # answer 304 when the request's If-None-Match matches
    last_modified: str | None = None  # answer 304 when If-Modified-Since is this date (no ETag)
    delay: float = 0.0  # seconds to wait before answering
    group: str = ""  # routes whose concurrent requests are counted together


class FeedServer:
    """aiohttp in its own thread and event loop, so sync and async tests can both reach it."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: defaultdict[str, list[dict[str, str]]] = defaultdict(list)
        self.arrivals: list[float] = []  # time.monotonic() of every request, in order
        self.port = 0
        # Requests being answered now, and the most at once, by route group.
        self.active: defaultdict[str, int] = defaultdict(int)
        self.peak: defaultdict[str, int] = defaultdict(int)
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    def start(self) -> None:
        """Start serving on 127.0.0.1 on a free port."""
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        # A client that went away (a killed connector) cancels its request, delay and all.
        self._runner = web.AppRunner(app, access_log=None, handler_cancellation=True)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        """Stop the server and its loop."""
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        self.requests[request.path].append(dict(request.headers))
        self.arrivals.append(time.monotonic())
        route = self.routes.get(request.path)
        if route is None:
            return web.Response(status=404, text="no such feed")
        if route.delay:
            group = route.group or request.path
            self.active[group] += 1
            self.peak[group] = max(self.peak[group], self.active[group])
            try:
                await asyncio.sleep(route.delay)
            finally:
                self.active[group] -= 1
        headers = dict(route.headers)
        since = request.headers.get("If-Modified-Since")
        if route.last_modified:
            headers["Last-Modified"] = route.last_modified
        if route.etag:
            headers["ETag"] = route.etag
            if request.headers.get("If-None-Match") == route.etag:
                return web.Response(status=304, headers=headers)
        elif route.last_modified and since == route.last_modified:
            return web.Response(status=304, headers=headers)
        return web.Response(status=route.status, body=route.body, headers=headers)

    def serve(self, path: str, *, fixture: str | None = None, **kwargs: Any) -> str:
        """Answer `path` as told (a fixture file's bytes by default); return its URL."""
        if fixture is not None:
            kwargs.setdefault("body", (FIXTURES / fixture).read_bytes())
        self.routes[path] = Route(**kwargs)
        return self.url(path)

    def url(self, path: str) -> str:
        """Return the full URL of `path`."""
        return f"http://127.0.0.1:{self.port}{path}"


class RecordingProducer:
    """Stands in for Kafka in unit tests: acknowledges everything unless told to fail."""

    def __init__(self, fail: bool = False) -> None:
        self.fail = fail
        self.produced: list[Item] = []
        self.dead_letters: list[dict[str, Any]] = []

    def produce(self, items: list[Item]) -> tuple[list[Item], str | None]:
        """Record and acknowledge `items` (or acknowledge none when failing)."""
        if self.fail:
            return [], "Kafka did not acknowledge: broker unreachable (test)"
        self.produced.extend(items)
        return list(items), None

    def dead_letter(self, **record: Any) -> None:
        """Record a dead letter."""
        self.dead_letters.append(record)
