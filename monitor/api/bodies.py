"""Before a request body is read: refuse one too large (413) or one sent without a key (401).

Pure ASGI, ahead of routing, so a refused body is never buffered or parsed: by its
Content-Length when it states one, by counting the bytes as they arrive when it does not.
"""

from __future__ import annotations

import re

from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.feeds import opml
from monitor.keys.service import SCHEME
from monitor.settings import Settings

API = "/api/v1/"
OPEN = frozenset({"/api/v1/health", "/api/v1/metrics"})  # answered without a key
WEBSUB = "/api/v1/websub/"  # hubs call back without a key: the path's token is the secret
IMPORT = "/api/v1/suppliers/import"  # routes that take a large body, each with its own limit
OPML_IMPORT = "/api/v1/feeds/import"
NO_BODY = frozenset({"GET", "HEAD", "OPTIONS"})
# The shape of `Authorization: Bearer smk_<prefix>_<secret>`; whether it is a real key is
# checked later, in one place (monitor/api/deps.py), once the route is known.
KEY_SHAPE = re.compile(rf"bearer +{SCHEME}_[^_\s]+_\S+", re.IGNORECASE)
MAX_KEY_HEADER = 220
NO_KEY = "missing API key: send `Authorization: Bearer <key>`"  # as monitor/api/deps.py says
NOT_A_KEY = "unknown or revoked API key"


def body_limit(settings: Settings, path: str) -> int:
    """Return the most bytes a request body to `path` may hold."""
    if path == IMPORT:
        return settings.api.import_max_bytes
    if path == OPML_IMPORT:
        return opml.MAX_BYTES
    return settings.api.max_body_bytes


def looks_like_key(authorization: str | None) -> bool:
    """Return True when the header could carry an API key (no look-up, no hashing)."""
    return bool(
        authorization
        and len(authorization) <= MAX_KEY_HEADER
        and KEY_SHAPE.fullmatch(authorization.strip())
    )


class BodyGuardMiddleware:
    """Refuse a body without a key (401) or over its limit (413) before anything reads it."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in NO_BODY:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        if path.startswith(API) and path not in OPEN and not path.startswith(WEBSUB):
            authorization = headers.get("authorization")
            if not looks_like_key(authorization):
                detail = NOT_A_KEY if authorization else NO_KEY
                await _answer(scope, receive, send, 401, detail, {"WWW-Authenticate": "Bearer"})
                return
        limit = body_limit(self.settings, path)
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > limit):
            await _answer(scope, receive, send, 413, f"body over {limit} bytes")
            return
        await self._counted(scope, receive, send, limit)

    async def _counted(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        seen = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit and not started:
                # Answer now, then tell the app the client left: whatever it makes of that
                # (a 400, an exception) is dropped below, and nothing more is read.
                refused = True
                await _answer(scope, receive, send, 413, f"body over {limit} bytes")
                return {"type": "http.disconnect"}
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except Exception:
            if not refused:
                raise


async def _answer(
    scope: Scope, receive: Receive, send: Send, status: int, detail: str,
    headers: dict[str, str] | None = None,
) -> None:  # fmt: skip
    # Connection: close, so the client stops sending the body nobody will read.
    response = JSONResponse(
        {"detail": detail}, status_code=status, headers={**(headers or {}), "Connection": "close"}
    )
    await response(scope, receive, send)
