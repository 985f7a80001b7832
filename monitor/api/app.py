"""The FastAPI application: routers are mounted under /api/v1."""

from __future__ import annotations

from fastapi import FastAPI

from monitor import __version__
from monitor.api import health
from monitor.dashboard import mount_dashboard


def create_app() -> FastAPI:
    """Return the API application with every router mounted."""
    api = FastAPI(
        title="Sourcing disruption monitor", version=__version__, openapi_url="/openapi.json"
    )
    api.include_router(health.router, prefix="/api/v1")
    mount_dashboard(api)
    return api
