"""`/websub/{token}`: the callback WebSub hubs call (no key: the token is the secret part).

GET is the hub's intent check, POST a delivery of new content signed with the subscription's
secret. Both answer plain text; the rules live in `monitor/feeds/websub.py`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from monitor import db
from monitor.api.deps import SessionDep, SettingsDep
from monitor.feeds import websub
from monitor.feeds.models import Feed

router = APIRouter(prefix="/websub", tags=["websub"])
Token = Annotated[str, Path(max_length=64, description="the subscription's callback token")]
Push = Callable[[Feed, bytes, str | None], int]
_PUSH_LOCK = threading.Lock()
ANSWERS: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {}}},
    404: {"description": "no such subscription, or WebSub is off"},
    410: {"description": "the feed was removed: the hub should stop"},
}


def _push(request: Request) -> Push:
    """Return the app's push handler, built on first use (a Kafka producer of its own)."""
    state = request.app.state
    with _PUSH_LOCK:
        if getattr(state, "websub_push", None) is None:
            from connectors.handler import Handler
            from connectors.producer import ItemProducer
            from connectors.subscriber import push_handler

            settings = state.settings
            handler = Handler(settings, db.get_engine(settings), ItemProducer(settings))
            state.websub_push = push_handler(handler)
        push: Push = state.websub_push
    return push


def _text(answer: websub.Answer) -> PlainTextResponse:
    return PlainTextResponse(answer.text, status_code=answer.status)


@router.get("/{token}", response_class=PlainTextResponse, responses=ANSWERS)
def intent(
    token: Token,
    session: SessionDep,
    settings: SettingsDep,
    mode: Annotated[str, Query(alias="hub.mode", max_length=20)] = "",
    topic: Annotated[str, Query(alias="hub.topic", max_length=2048)] = "",
    challenge: Annotated[str, Query(alias="hub.challenge", max_length=1024)] = "",
    lease_seconds: Annotated[str | None, Query(alias="hub.lease_seconds", max_length=20)] = None,
) -> PlainTextResponse:
    """A hub's intent check: the challenge is echoed only for a subscription we asked for."""
    if not websub.enabled(settings):
        return _text(websub.NOT_FOUND)
    answer = websub.verify_intent(
        session=session, token=token, mode=mode, topic=topic, challenge=challenge,
        lease_s=lease_seconds, settings=settings,
    )  # fmt: skip
    session.commit()
    return _text(answer)


@router.post("/{token}", status_code=202, response_class=PlainTextResponse, responses=ANSWERS)
async def deliver(
    token: Token, request: Request, session: SessionDep, settings: SettingsDep
) -> PlainTextResponse:
    """A hub's delivery: checked against its signature, then read as a poll of the feed."""
    if not websub.enabled(settings):
        return _text(websub.NOT_FOUND)
    body = await request.body()  # capped like every body (BodyGuardMiddleware)
    answer = await run_in_threadpool(
        lambda: websub.deliver(
            session=session,
            token=token,
            body=body,
            signature=request.headers.get("x-hub-signature"),
            content_type=request.headers.get("content-type"),
            handle=_push(request),
        )
    )
    request.app.state.metrics.websub.labels(answer.outcome).inc()
    return _text(answer)
