"""`/docs` and `/redoc` render in a real browser under their CSP, refusing only other sites."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from monitor.api.app import create_app
from monitor.settings import Settings
from tests.dashboard.conftest import LiveServer


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path = Path(tmp_path_factory.mktemp("docs")) / "docs.db"
    with LiveServer(create_app(Settings(database_url=f"sqlite:///{path}"))) as url:
        yield url


@pytest.mark.parametrize(
    ("path", "rendered"),
    [("/docs", ".swagger-ui .opblock-summary-path"), ("/redoc", "[data-section-id]")],
)
def test_docs_pages_render_under_their_csp(
    chromium: Any, site: str, path: str, rendered: str
) -> None:
    page = chromium.new_page()
    refused: list[str] = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    answer = page.goto(site + path)
    assert answer is not None
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"
    page.wait_for_selector(rendered, timeout=30_000)
    assert "/api/v1/alerts" in page.content()
    page.close()
    # Only what lies elsewhere may be refused (ReDoc's CDN logo): it would leak the visit.
    assert [r for r in refused if "'https://" not in r] == []
