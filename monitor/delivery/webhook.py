"""POST a document to a buyer's webhook, signed per the Standard Webhooks spec (and the
unsigned JSON POST that Slack and Teams destinations share)."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from math import floor
from typing import Any
from urllib.parse import urlsplit

import httpx
from standardwebhooks.webhooks import Webhook

from connectors.http import make_client, retry_after
from connectors.netguard import RefusedAddress
from monitor.delivery.outcome import DELIVERED, Outcome, redact
from monitor.delivery.schedule import RETRY_STATUSES
from monitor.settings import Settings


def make_webhook_client(settings: Settings) -> httpx.AsyncClient:
    """Return the client webhooks go out on: the feeds' SSRF guard, no redirects followed."""
    client = make_client(settings, connections=settings.delivery.concurrency)
    client.timeout = httpx.Timeout(settings.delivery.timeout_s)
    return client


def encode(document: dict[str, Any]) -> str:
    """Return the JSON body exactly as it is signed and sent."""
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def signed_headers(secret: str, message_id: str, body: str, at: datetime) -> dict[str, str]:
    """Return the Standard Webhooks headers for `body` (webhook-id, -timestamp, -signature)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(floor(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
        "content-type": "application/json",
    }


async def post(
    client: httpx.AsyncClient,
    url: str,
    *,
    secret: str,
    message_id: str,
    document: dict[str, Any],
    settings: Settings,
) -> Outcome:
    """POST `document` to `url` once and say how it went; never raises for network trouble."""
    body = encode(document)
    # Signed at send time, not when the alert was made: receivers refuse stale timestamps.
    headers = signed_headers(secret, message_id, body, datetime.now(UTC))
    return await post_json(
        client, url, body=body, headers=headers, shown=redact(url), settings=settings
    )


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    *,
    body: str,
    headers: dict[str, str],
    shown: str,
    settings: Settings,
) -> Outcome:
    """POST `body` to `url` once, naming it only as `shown` in errors; never raises."""
    try:
        if urlsplit(url).scheme not in ("http", "https"):
            return Outcome.failed(f"not an http(s) URL: {shown}", permanent=True)
        async with (
            asyncio.timeout(settings.delivery.timeout_s),
            client.stream("POST", url, content=body.encode(), headers=headers) as resp,
        ):
            status = resp.status_code  # the body is not read: only the status matters
            wait = retry_after(resp.headers.get("retry-after"))
    except RefusedAddress as exc:
        return Outcome.failed(f"refused: {exc}", permanent=True)
    except (TimeoutError, httpx.TimeoutException):
        return Outcome.failed(
            f"timed out after {settings.delivery.timeout_s:g}s posting to {shown}"
        )
    except httpx.HTTPError as exc:
        reason = str(exc).replace(url, shown) or type(exc).__name__
        return Outcome.failed(f"network error posting to {shown}: {reason}")
    except (httpx.InvalidURL, ValueError, OverflowError) as exc:
        return Outcome.failed(f"invalid webhook URL {shown}: {exc}", permanent=True)
    if 200 <= status < 300:
        return DELIVERED
    error = f"{shown} answered HTTP {status}"
    if 300 <= status < 400:
        return Outcome.failed(error + " (redirects are not followed)")
    # 4xx means the request itself is refused (bad URL, auth, signature): resending won't help.
    return Outcome.failed(
        error, permanent=status not in RETRY_STATUSES and status < 500, retry_after=wait
    )
