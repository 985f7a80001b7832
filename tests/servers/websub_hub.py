"""A WebSub hub on 127.0.0.1: takes subscriptions, checks intent at the callback, publishes.

Like a real hub it answers a subscription request 202 at once and checks the subscriber's
intent afterwards (GET with `hub.challenge`); `publish` POSTs content to every verified
subscriber of a topic, signed with its secret (or deliberately signed wrong).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

import aiohttp
from aiohttp import web


@dataclass
class Subscription:
    """One subscriber of one topic, as the hub knows it."""

    topic: str
    callback: str
    secret: str
    lease_s: int
    verified: bool = False
    check_status: int | None = None  # what the callback answered the intent check


@dataclass
class Hub:
    """aiohttp in its own thread and loop; `requests` holds every subscription form received."""

    requests: list[dict[str, str]] = field(default_factory=list)
    subscriptions: dict[str, Subscription] = field(default_factory=dict)  # by callback
    answer: int = 202  # status for subscription requests (set 500 to refuse them)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()

    @property
    def url(self) -> str:
        """Return the hub's address (subscription requests are POSTed here)."""
        return f"http://127.0.0.1:{self.port}/hub"

    def start(self) -> None:
        """Start serving on a free loopback port."""
        threading.Thread(target=self._serve, daemon=True).start()
        self._ready.wait(10)

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        app = web.Application()
        app.router.add_post("/hub", self._subscribe)
        self._runner = web.AppRunner(app, access_log=None)
        self._loop.run_until_complete(self._runner.setup())
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        self._loop.run_until_complete(site.start())
        self.port = self._runner.addresses[0][1]
        self._ready.set()
        self._loop.run_forever()

    def stop(self) -> None:
        """Stop the hub and its loop."""
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)

    async def _subscribe(self, request: web.Request) -> web.Response:
        form = {k: str(v) for k, v in (await request.post()).items()}
        self.requests.append(form)
        if self.answer >= 300 or form.get("hub.mode") != "subscribe":
            return web.Response(status=self.answer if self.answer >= 300 else 400)
        sub = Subscription(
            topic=form["hub.topic"], callback=form["hub.callback"],
            secret=form.get("hub.secret", ""), lease_s=int(form.get("hub.lease_seconds") or 3600),
        )  # fmt: skip
        self.subscriptions[sub.callback] = sub
        asyncio.get_running_loop().create_task(self._check_intent(sub))
        return web.Response(status=202)

    async def _check_intent(self, sub: Subscription) -> None:
        await asyncio.sleep(0.05)  # after the 202, as a real hub does
        challenge = secrets.token_hex(16)
        params = {
            "hub.mode": "subscribe", "hub.topic": sub.topic, "hub.challenge": challenge,
            "hub.lease_seconds": str(sub.lease_s),
        }  # fmt: skip
        async with (
            aiohttp.ClientSession() as client,
            client.get(sub.callback, params=params) as resp,
        ):
            sub.check_status = resp.status
            sub.verified = resp.status == 200 and await resp.text() == challenge

    def wait_verified(self, topic: str, timeout: float = 10.0) -> Subscription:
        """Wait until a subscriber of `topic` passed its intent check; return it."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for sub in list(self.subscriptions.values()):
                if sub.topic == topic and sub.verified:
                    return sub
            time.sleep(0.05)
        raise AssertionError(f"no verified subscriber of {topic}: {self.subscriptions}")

    def publish(
        self, topic: str, body: bytes, *, content_type: str = "application/atom+xml",
        method: str = "sha256", wrong: bool = False, sign: bool = True,
    ) -> list[int]:  # fmt: skip
        """POST `body` to every verified subscriber of `topic`; return the statuses they gave."""
        targets = [s for s in self.subscriptions.values() if s.topic == topic and s.verified]
        future = asyncio.run_coroutine_threadsafe(
            self._publish(targets, body, content_type, method, wrong, sign), self._loop
        )
        return future.result(30)

    async def _publish(
        self, targets: list[Subscription], body: bytes, content_type: str, method: str,
        wrong: bool, sign: bool,
    ) -> list[int]:  # fmt: skip
        statuses = []
        async with aiohttp.ClientSession() as client:
            for sub in targets:
                secret = ("not-" + sub.secret) if wrong else sub.secret
                digest = hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()
                headers = {"Content-Type": content_type}
                if sign:
                    headers["X-Hub-Signature"] = f"{method}={digest}"
                async with client.post(sub.callback, data=body, headers=headers) as resp:
                    statuses.append(resp.status)
        return statuses
