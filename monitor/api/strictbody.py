"""JSON bodies read as JSON, not as Python reads it: no NaN, Infinity, 1e999 or lone surrogate.

Python's parser takes all four; none is JSON, and each turns into a 500 further on (an answer
that cannot be encoded, a value no database holds). Checked here, once, ahead of every route:
such a body answers 422 like any other invalid input.
"""

from __future__ import annotations

from typing import Any

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor import strictjson
from monitor.api.bodies import IMPORT, NO_BODY


def is_json(content_type: str) -> bool:
    """Return True for `application/json` and `application/*+json` (FastAPI parses both)."""
    kind = content_type.split(";")[0].strip().lower()
    return kind.startswith("application/") and kind.endswith(("/json", "+json"))


def lone_surrogate(value: Any) -> list[str | int] | None:
    """Return where in `value` a string holds a lone surrogate (not Unicode text), or None."""
    stack: list[tuple[Any, list[str | int]]] = [(value, [])]
    while stack:
        node, where = stack.pop()
        if isinstance(node, str):
            if not node.isascii():
                try:
                    node.encode("utf-8")
                except UnicodeEncodeError:
                    return where
        elif isinstance(node, dict):
            for key, child in node.items():
                stack += [(key, where), (child, [*where, _printable(key)])]
        elif isinstance(node, list):
            stack += [(child, [*where, i]) for i, child in enumerate(node)]
    return None


def _printable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode()[:64]


def problem(body: bytes) -> dict[str, Any] | None:
    """Return the 422 error entry for a JSON body that is not strict JSON, or None if it is."""
    try:
        value = strictjson.loads(body)
    except strictjson.JsonError as exc:
        return {"type": "json_invalid", "loc": ["body"], "msg": f"not JSON: {exc}"[:300]}
    where = lone_surrogate(value)
    if where is not None:
        msg = "a string holds a lone surrogate: not Unicode text"
        return {"type": "string_unicode", "loc": ["body", *where], "msg": msg}
    return None


class StrictJsonMiddleware:
    """Read a JSON body once, refuse it with 422 unless it is strict JSON, else pass it on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] in NO_BODY
            or scope["path"] == IMPORT  # reads its own body, with the same strict parser
            or not is_json(Headers(scope=scope).get("content-type", ""))
        ):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        while True:  # bounded: the body guard outside this counts every byte
            message = await receive()
            if message["type"] != "http.request":
                return  # the client left
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        error = problem(body) if body else None
        if error is not None:
            await JSONResponse({"detail": [error]}, status_code=422)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """Return a receive that hands the app `body` once, then waits as the real one does."""
    given = False

    async def replay() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
