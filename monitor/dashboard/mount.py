"""The dashboard's routes: pages at `/`, files at `/assets/`, all with a strict CSP.

Pages live apart from `static/` so that no page is ever served without these headers.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.responses import FileResponse, JSONResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from monitor.dashboard.countries import numeric_to_alpha2
from monitor.dashboard.vocab import watch_vocabulary

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
PAGES_DIR = HERE / "pages"
PAGES = {"/": "index.html", "/alerts": "alerts.html", "/map": "map.html",
         "/feeds": "feeds.html", "/suppliers": "suppliers.html", "/watches": "watches.html",
         "/settings": "settings.html"}  # fmt: skip

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
    return FileResponse(PAGES_DIR / name, media_type="text/html", headers=SECURITY_HEADERS)


def _countries() -> JSONResponse:
    return JSONResponse(numeric_to_alpha2(), headers=SECURITY_HEADERS)


def _vocabulary() -> JSONResponse:
    return JSONResponse(watch_vocabulary(), headers=SECURITY_HEADERS)


router = APIRouter(include_in_schema=False)
for _path, _name in PAGES.items():
    router.add_api_route(_path, partial(_page, _name), methods=["GET"])
router.add_api_route("/assets/countries.json", _countries, methods=["GET"])
router.add_api_route("/assets/vocabulary.json", _vocabulary, methods=["GET"])
router.mount("/assets", _Assets(directory=STATIC), name="dashboard-assets")


def mount_dashboard(app: FastAPI) -> None:
    """Add the dashboard's pages, its assets, the country codes and the watch vocabulary."""
    app.include_router(router)
