"""The FastAPI application: routers under /api/v1, docs pages, and the dashboard at /."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from monitor import __version__
from monitor.api import (
    alerts,
    buyers,
    capacity,
    deliveries,
    docs,
    errors,
    feedback,
    feedlists,
    feeds,
    health,
    incidents,
    me,
    metrics,
    suggestions,
    suppliers,
    websub,
)
from monitor.api.bodies import BodyGuardMiddleware
from monitor.api.headers import SecurityHeadersMiddleware
from monitor.api.strictbody import StrictJsonMiddleware
from monitor.dashboard import mount_dashboard
from monitor.keys.service import Verifier
from monitor.settings import Settings, get_settings

PREFIX = "/api/v1"
ROUTERS = (
    health, metrics, me, feedlists, feeds, buyers, alerts, deliveries, incidents, suggestions,
    suppliers, feedback, websub,
)  # fmt: skip


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the API application for `settings` (the process's settings by default)."""
    settings = settings or get_settings()
    api = FastAPI(
        title="Sourcing disruption monitor", version=__version__, openapi_url="/openapi.json",
        docs_url=None, redoc_url=None,
    )  # fmt: skip
    api.state.settings = settings
    api.state.verifier = Verifier(
        cache_s=settings.api.key_cache_s, failures=settings.api.key_failures,
        window_s=settings.api.key_failures_window_s,
    )  # fmt: skip
    api.state.metrics = metrics.Metrics()
    api.state.websub_push = None  # built on the first WebSub delivery (monitor/api/websub.py)
    api.state.db_gate = capacity.ConnectionGate(
        permits=settings.database_pool_size + settings.database_max_overflow,
        timeout_s=settings.database_pool_timeout_s,
    )
    api.state.stream_slots = capacity.StreamSlots(
        per_key=settings.api.stream_max_per_key, total=settings.api.stream_max
    )
    errors.install(api)
    capacity.install(api)
    for module in ROUTERS:
        api.include_router(module.router, prefix=PREFIX)
    api.add_middleware(StrictJsonMiddleware)  # inside the guard: it reads only what may be read
    api.add_middleware(BodyGuardMiddleware, settings=settings)  # inside CORS: preflights pass
    if settings.api.cors_origins:  # closed unless origins are listed (MONITOR_API_CORS_ORIGINS)
        api.add_middleware(
            CORSMiddleware, allow_origins=settings.api.cors_origins,
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "Last-Event-ID"],
        )  # fmt: skip
    api.add_middleware(metrics.MetricsMiddleware, metrics=api.state.metrics)
    api.add_middleware(SecurityHeadersMiddleware)  # outermost: every answer gets the headers
    docs.install(api)
    mount_dashboard(api)  # pages and assets, each with the dashboard's security headers
    return api
