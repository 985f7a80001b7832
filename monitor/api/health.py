"""`GET /api/v1/health`: ok or degraded for anyone; the checks behind it for staff."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from starlette.concurrency import run_in_threadpool

from monitor import db
from monitor.api.deps import SettingsDep, Staff
from monitor.api.errors import AUTH
from monitor.errors import MonitorError
from monitor.local import broker
from monitor.settings import Settings

router = APIRouter(tags=["health"])
DOWN: dict[int | str, dict[str, Any]] = {503: {"description": "the database or Kafka is down"}}


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


async def _status(response: Response, settings: Settings) -> tuple[str, dict[str, Any]]:
    checks = await run_in_threadpool(_check, settings)  # both checks block on the network
    ok = all(c["ok"] for c in checks.values())
    response.status_code = 200 if ok else 503
    return ("ok" if ok else "degraded"), checks


@router.get("/health", responses=DOWN)
async def health(response: Response, settings: SettingsDep) -> dict[str, Any]:
    """Say `ok` or `degraded` (no key needed; 503 when the database or Kafka is down).

    Nothing more: addresses and errors are for staff keys, at `/health/checks`."""
    status, _ = await _status(response, settings)
    return {"status": status}


@router.get("/health/checks", responses={**DOWN, **AUTH})
async def health_checks(response: Response, settings: SettingsDep, who: Staff) -> dict[str, Any]:
    """The database and Kafka checks, with their errors and Kafka's address (admin, operator)."""
    status, checks = await _status(response, settings)
    return {"status": status, "checks": checks}
