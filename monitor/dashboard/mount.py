"""Serve the dashboard's pages at `/` and its files at `/assets/`, with a strict CSP."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, JSONResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from monitor.dashboard.countries import numeric_to_alpha2

STATIC = Path(__file__).resolve().parent / "static"
PAGES = {"/": "index.html", "/alerts": "alerts.html", "/map": "map.html",
         "/feeds": "feeds.html", "/suppliers": "suppliers.html"}  # fmt: skip

# Feed text reaches these pages: no inline script, no script from elsewhere, no plugins,
# no framing. Leaflet sets styles through the CSSOM, which style-src 'self' allows.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; "
    "frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


class _Assets(StaticFiles):
    """Static files with the dashboard's security headers."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        response.headers.update(SECURITY_HEADERS)
        return response


def _page(name: str) -> FileResponse:
    return FileResponse(STATIC / name, media_type="text/html", headers=SECURITY_HEADERS)


def mount_dashboard(app: FastAPI) -> None:
    """Add the dashboard's pages, its assets and the country-code table to `app`."""
    for path, name in PAGES.items():
        app.add_api_route(
            path, lambda name=name: _page(name), methods=["GET"], include_in_schema=False
        )
    app.add_api_route(
        "/assets/countries.json",
        lambda: JSONResponse(numeric_to_alpha2(), headers=SECURITY_HEADERS),
        methods=["GET"],
        include_in_schema=False,
    )
    app.mount("/assets", _Assets(directory=STATIC), name="dashboard-assets")
