"""GET /api/v1/health says ok or degraded; /health/checks shows staff the database and Kafka."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from monitor import db
from monitor.api.app import create_app
from monitor.keys import service as apikeys
from monitor.settings import Settings


def _client(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> TestClient:
    return TestClient(create_app(settings))


@pytest.mark.kafka
def test_healthy_when_database_and_kafka_answer(
    kafka: Settings, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = kafka.updated(database_url=f"sqlite:///{tmp_path / 'h.db'}")
    response = _client(monkeypatch, settings).get("/api/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_degraded_when_kafka_is_down(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'h.db'}", kafka={"bootstrap_servers": "127.0.0.1:1"}
    )
    db.upgrade(settings)
    client = _client(monkeypatch, settings)
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded"}  # no addresses without a key
    with db.session_scope(settings) as session:
        _, key = apikeys.create_key(session=session, role="operator")
    checks = client.get("/api/v1/health/checks", headers={"Authorization": f"Bearer {key}"})
    assert checks.status_code == 503
    body = checks.json()
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["kafka"]["ok"] is False


def test_openapi_is_served() -> None:
    assert TestClient(create_app()).get("/openapi.json").status_code == 200
