"""Every answer carries security headers; /metrics labels stay few; /health tells strangers
only ok or degraded."""

from __future__ import annotations

import re

from tests.monitor.api.conftest import World

PATHS = ["/api/v1/health", "/api/v1/metrics", "/api/v1/alerts", "/api/v1/incidents",
         "/openapi.json", "/docs", "/redoc", "/", "/api/v1/nothing-here",
         "/static/api-docs/redoc/redoc.standalone.js"]  # fmt: skip


def test_every_answer_has_security_headers_and_json_is_not_cached(world: World) -> None:
    for who in (None, "a"):
        headers = world.as_(who) if who else {}
        for path in PATHS:
            answer = world.client.get(path, headers=headers)
            assert "frame-ancestors 'none'" in answer.headers["content-security-policy"], path
            assert answer.headers["x-frame-options"] == "DENY", path
            assert answer.headers["x-content-type-options"] == "nosniff", path
            if answer.headers["content-type"].startswith("application/json"):
                assert answer.headers["cache-control"] == "no-store", path
    refused = world.client.request("BREW", "/api/v1/alerts")
    assert refused.headers["x-content-type-options"] == "nosniff"


def test_docs_allow_their_own_scripts_only(world: World) -> None:
    policy = world.client.get("/docs").headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'sha256-[A-Za-z0-9+/]+=*';", policy)
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    api_policy = world.client.get("/openapi.json").headers["content-security-policy"]
    assert api_policy.startswith("default-src 'none'")


def test_metrics_labels_come_from_a_fixed_set(world: World) -> None:
    for n in range(40):
        world.client.request(f"X{n}", "/api/v1/incidents")
        world.client.request(f"Y{n}", f"/made/up/{n}")
        world.client.get(f"/api/v1/made-up-{n}")
    text = world.client.get("/api/v1/metrics").text
    series = [line for line in text.splitlines() if line.startswith("monitor_api_requests_total")]
    methods = set(re.findall(r'method="([^"]*)"', "\n".join(series)))
    assert methods <= {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other"}
    assert "other" in methods and "made" not in text and "X1" not in text
    assert len(series) <= 6  # 120 odd requests made no more than a handful of series


def test_health_tells_strangers_only_ok_or_degraded(world: World) -> None:
    kafka = world.settings.kafka.servers
    answer = world.client.get("/api/v1/health")
    assert answer.json() == {"status": "degraded" if answer.status_code == 503 else "ok"}
    for who in ("admin", "operator"):
        full = world.client.get("/api/v1/health/checks", headers=world.as_(who))
        assert full.status_code == answer.status_code
        assert full.json()["checks"]["kafka"]["bootstrap"] == kafka
        assert full.json()["checks"]["database"]["ok"] is True
    for who in ("viewer", "a"):
        assert world.client.get("/api/v1/health/checks", headers=world.as_(who)).status_code == 403
    assert world.client.get("/api/v1/health/checks").status_code == 401
