"""WebSub subscriptions from the connectors: subscribe and renew, and take pushed bodies.

The poller runs a `Subscriber` beside its rounds (only when `MONITOR_API_PUBLIC_URL` is set);
the API's callback hands each verified delivery to `push_handler`, which treats the body as a
poll's: same parser, same dedup, same producer.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

import httpx
from sqlalchemy import Engine
from sqlmodel import Session

from connectors.handler import Fetched, Handler
from connectors.http import FetchResult
from connectors.netguard import RefusedAddress
from connectors.redact import redact, redact_url
from connectors.websub import usable
from monitor.feeds import websub
from monitor.feeds.models import Feed, WebSubSubscription
from monitor.settings import Settings

log = logging.getLogger(__name__)


def push_handler(handler: Handler) -> Callable[[Feed, bytes, str | None], int]:
    """Return what the callback calls with a verified body: items produced, -1 if unusable."""

    def handle(feed: Feed, body: bytes, content_type: str | None) -> int:
        result = FetchResult(
            status=200, url=feed.url, body=body, content_type=content_type,
            etag=feed.etag, last_modified=feed.last_modified,  # a push keeps the validators
        )  # fmt: skip
        out = handler.handle([Fetched(feed=feed, result=result, pushed=True)])[feed.id or 0]
        return out.produced if out.ok else -1

    return handle


class Subscriber:
    """Ask hubs for the due subscriptions of one shard, and renew them before their leases end."""

    def __init__(self, settings: Settings, *, engine: Engine, shard: tuple[int, int] = (0, 1)):
        self.settings = settings
        self.engine = engine
        self.shard = shard

    def _due(self, now: datetime) -> list[WebSubSubscription]:
        with Session(self.engine, expire_on_commit=False) as session:
            if self.shard[0] == 0:
                websub.forget_orphans(session=session, now=now)
                session.commit()
            return websub.due(session=session, now=now, shard=self.shard)

    def _record(self, sub_id: int, error: str | None) -> None:
        with Session(self.engine) as session:
            websub.requested(
                session=session, sub_id=sub_id, error=error, now=datetime.now(UTC),
                settings=self.settings,
            )  # fmt: skip
            session.commit()

    async def run_once(self, client: httpx.AsyncClient) -> int:
        """Send every due subscription request; return how many hubs accepted theirs."""
        subs = await asyncio.to_thread(self._due, datetime.now(UTC))
        accepted = 0
        for sub in subs:
            error = await self.subscribe(client, sub)
            accepted += error is None
            await asyncio.to_thread(self._record, sub.id or 0, error)
        return accepted

    async def run(self, client: httpx.AsyncClient, stop: asyncio.Event) -> None:
        """Check for due subscriptions every `websub_check_s` until `stop` is set."""
        while not stop.is_set():
            try:
                await self.run_once(client)
            except Exception:  # the database went away: the next check tries again
                log.exception("websub: checking subscriptions failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.settings.polling.websub_check_s)

    async def subscribe(self, client: httpx.AsyncClient, sub: WebSubSubscription) -> str | None:
        """POST one subscription request to its hub; return None if accepted, else why not."""
        callback = websub.callback_url(self.settings, sub.token)
        if usable(sub.hub_url, self.settings) is None or usable(callback, self.settings) is None:
            return "the hub or the callback is not a public http(s) address"
        lease = str(self.settings.polling.websub_lease_s)
        form = {
            "hub.mode": "subscribe", "hub.topic": sub.topic_url, "hub.callback": callback,
            "hub.secret": sub.secret, "hub.lease_seconds": lease,
        }  # fmt: skip
        try:
            # The answer's body is never read: a hub says all it has to in its status.
            async with client.stream("POST", sub.hub_url, data=form) as resp:
                status = resp.status_code
        except (httpx.HTTPError, RefusedAddress, OSError) as exc:
            # Only the hub's address is named: the form holds the secret and the callback token.
            error = f"cannot reach hub {redact_url(sub.hub_url)}: {type(exc).__name__}"
        else:
            if 200 <= status < 300:
                log.info("websub: hub accepted the subscription of feed %s", sub.feed_id)
                return None
            error = f"hub {redact_url(sub.hub_url)} answered HTTP {status}"
        log.warning("websub: feed %s: %s", sub.feed_id, error)
        return redact(error)
