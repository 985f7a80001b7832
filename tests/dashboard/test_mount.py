"""The dashboard's pages and files: served from the package, with a strict CSP, no CDN."""

from __future__ import annotations

import re

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from monitor.dashboard import mount_dashboard
from monitor.dashboard.mount import PAGES, PAGES_DIR, STATIC

VENDORED = ["leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE",
            "world-atlas/countries-110m.json", "world-atlas/LICENSE",
            "topojson-client/topojson-client.min.js", "topojson-client/LICENSE"]  # fmt: skip
OURS = sorted((STATIC / "js").glob("*.js")) + sorted(PAGES_DIR.glob("*.html"))


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    mount_dashboard(app)
    return TestClient(app)


@pytest.mark.parametrize("path", sorted(PAGES))
def test_every_page_is_served_with_a_strict_csp(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize("name", VENDORED)
def test_vendored_files_ship_with_their_licence(client: TestClient, name: str) -> None:
    response = client.get(f"/assets/vendor/{name}")
    assert response.status_code == 200
    assert "content-security-policy" in response.headers


def test_country_codes_join_world_atlas_to_the_api(client: TestClient) -> None:
    codes = client.get("/assets/countries.json").json()
    assert codes["384"] == "CI" and codes["156"] == "CN"


def test_the_watch_form_gets_the_material_and_country_vocabulary(client: TestClient) -> None:
    vocabulary = client.get("/assets/vocabulary.json").json()
    cocoa = next(m for m in vocabulary["materials"] if m["name"] == "cocoa")
    assert cocoa["hs"] == "1801" and "cacao" in cocoa["synonyms"]
    assert {"code": "CI", "name": "Côte d'Ivoire"} in vocabulary["countries"]


def test_a_missing_asset_is_404(client: TestClient) -> None:
    assert client.get("/assets/js/nothing.js").status_code == 404


@pytest.mark.parametrize("path", OURS, ids=lambda p: p.name)
def test_no_html_parsing_of_text_and_nothing_from_elsewhere(path) -> None:  # type: ignore[no-untyped-def]
    source = path.read_text()
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", source)
    assert not re.search(r"(src|href)=\"(https?:)?//", source)  # no CDN, no remote asset
    assert "<script>" not in source  # CSP refuses inline script anyway
