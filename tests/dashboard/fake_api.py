"""A stand-in for /api/v1 while the real routes land: the paths and shapes of docs/design.md,
read from the real tables. Only the browser test's needs; no access control beyond the key."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, FastAPI, Header, HTTPException, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session, col, select

from monitor import db
from monitor.models import (
    Alert,
    AlertPublic,
    BuyerSupplier,
    Feed,
    Incident,
    IncidentPublic,
    Supplier,
)
from monitor.settings import Settings
from monitor.suggestions import suggest


def build(settings: Settings, keys: dict[str, tuple[str, int | None]]) -> FastAPI:
    """Return an app with the fake API under /api/v1; `keys` maps key → (role, buyer id)."""
    app = FastAPI()
    router = APIRouter(prefix="/api/v1")
    engine = db.get_engine(settings)

    def who(authorization: str | None) -> tuple[str, int | None]:
        key = (authorization or "").removeprefix("Bearer ")
        if key not in keys:
            raise HTTPException(401, "unknown or revoked API key")
        return keys[key]

    def alert_doc(a: Alert) -> dict[str, Any]:
        return AlertPublic.model_validate(a).model_dump(mode="json")

    @router.get("/me")
    def me(authorization: str | None = Header(None)) -> dict[str, Any]:
        role, buyer = who(authorization)
        return {"role": role, "buyer_id": buyer}

    @router.get("/alerts")
    def alerts(status: str | None = None, authorization: str | None = Header(None)) -> Any:
        _, buyer = who(authorization)
        with Session(engine) as s:
            q = select(Alert).where(Alert.buyer_id == buyer).order_by(col(Alert.id).desc())
            rows = [a for a in s.exec(q).all() if status in (None, a.status)]
        return {"items": [alert_doc(a) for a in rows], "total": len(rows)}

    @router.post("/alerts/{alert_id}/acknowledge")
    def ack(alert_id: int, authorization: str | None = Header(None)) -> Any:
        _, buyer = who(authorization)
        with Session(engine) as s:
            alert = s.get(Alert, alert_id)
            if alert is None or alert.buyer_id != buyer:
                raise HTTPException(404, f"no alert with id {alert_id}")
            alert.status = "acknowledged"
            s.add(alert)
            s.commit()
            return alert_doc(alert)

    @router.get("/alerts/stream")
    async def stream(request: Request, authorization: str | None = Header(None)) -> Any:
        _, buyer = who(authorization)

        def newer(after: int) -> list[Alert]:
            with Session(engine) as s:
                q = select(Alert).where(Alert.buyer_id == buyer, col(Alert.id) > after)
                return list(s.exec(q.order_by(col(Alert.id))).all())

        async def events() -> AsyncIterator[str]:
            last = max((a.id or 0 for a in newer(0)), default=0)
            yield ": connected\n\n"
            while not await request.is_disconnected():
                for a in newer(last):
                    last = a.id or last
                    yield f"id: {a.id}\nevent: alert\ndata: {json.dumps(alert_doc(a))}\n\n"
                await asyncio.sleep(0.2)

        return StreamingResponse(events(), media_type="text/event-stream")

    @router.get("/incidents")
    def incidents(authorization: str | None = Header(None)) -> Any:
        who(authorization)
        with Session(engine) as s:
            rows = s.exec(select(Incident).where(Incident.status == "open")).all()
            items = [IncidentPublic.model_validate(i).model_dump(mode="json") for i in rows]
        return {"items": items, "total": len(items)}

    @router.get("/suppliers")
    def suppliers(buyer_id: int | None = None, authorization: str | None = Header(None)) -> Any:
        who(authorization)
        with Session(engine) as s:
            q = select(Supplier).join(BuyerSupplier).where(BuyerSupplier.buyer_id == buyer_id)
            items = [sup.model_dump(mode="json") for sup in s.exec(q).all()]
        return {"items": items, "total": len(items)}

    @router.get("/suggestions")
    def suggestions(material: str, authorization: str | None = Header(None)) -> Any:
        who(authorization)
        with Session(engine) as s:
            return suggest(material, session=s, settings=settings).to_dict()

    @router.get("/feeds")
    def feeds(authorization: str | None = Header(None)) -> Any:
        who(authorization)
        with Session(engine) as s:
            items = [f.model_dump(mode="json") | {"state": "failing", "alerts": 4,
                     "false_alarms": 1} for f in s.exec(select(Feed)).all()]  # fmt: skip
        return {"items": items, "total": len(items)}

    app.include_router(router)
    return app
