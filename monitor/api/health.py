"""`GET /api/v1/health`: is the database reachable, is Kafka answering."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from monitor import db
from monitor.api.deps import SettingsDep
from monitor.errors import MonitorError
from monitor.local import broker
from monitor.settings import Settings

router = APIRouter(tags=["health"])


def _check(settings: Settings) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    try:
        db.check_connection(db.get_engine(settings))
        checks["database"] = {"ok": True}
    except MonitorError as exc:
        checks["database"] = {"ok": False, "error": str(exc)}
    kafka_ok = broker.broker_answers(settings.kafka.servers, timeout=2.0)
    checks["kafka"] = {"ok": kafka_ok, "bootstrap": settings.kafka.servers}
    return checks


@router.get("/health", responses={503: {"description": "the database or Kafka is down"}})
async def health(response: Response, settings: SettingsDep) -> dict[str, Any]:
    """Report the health of the database and Kafka (no key needed); 503 when either is down."""
    checks = await run_in_threadpool(_check, settings)  # both checks block on the network
    ok = all(c["ok"] for c in checks.values())
    response.status_code = 200 if ok else 503
    return {"status": "ok" if ok else "degraded", "checks": checks}
