"""`/docs` (Swagger UI) and `/redoc`, with their scripts served from the package, not a CDN,
under a CSP that allows those scripts and nothing else."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

STATIC = Path(__file__).resolve().parent / "static"
ASSETS = "/static/api-docs"
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def csp(page: str) -> str:
    """Return the CSP for a docs page: its own assets, and its inline scripts by hash."""
    allowed = ["'self'"] + [
        "'sha256-" + base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() + "'"
        for s in INLINE_SCRIPT.findall(page)
    ]
    # Swagger UI and ReDoc style elements from script (ReDoc injects <style> tags), and
    # ReDoc runs its search in a worker made from a blob.
    return (
        f"default-src 'none'; script-src {' '.join(allowed)}; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; connect-src 'self'; font-src 'self'; worker-src 'self' blob:; "
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )


def _serve(html: HTMLResponse) -> HTMLResponse:
    """Return a copy of the fixed page `html` with its CSP (built once, at start)."""
    body = bytes(html.body).decode()
    return HTMLResponse(body, headers={"Content-Security-Policy": csp(body)})


def install(app: FastAPI) -> None:
    """Serve the documentation pages and their vendored assets."""
    app.mount(ASSETS, StaticFiles(directory=STATIC), name="api-docs")
    title = app.title
    swagger_page = get_swagger_ui_html(
        openapi_url="/openapi.json", title=f"{title} — API",
        swagger_js_url=f"{ASSETS}/swagger-ui/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/swagger-ui/favicon-32x32.png",
    )  # fmt: skip
    redoc_page = get_redoc_html(
        openapi_url="/openapi.json", title=f"{title} — API",
        redoc_js_url=f"{ASSETS}/redoc/redoc.standalone.js",
        redoc_favicon_url=f"{ASSETS}/swagger-ui/favicon-32x32.png", with_google_fonts=False,
    )  # fmt: skip

    @app.get("/docs", include_in_schema=False)
    def swagger() -> HTMLResponse:
        return _serve(swagger_page)

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _serve(redoc_page)
