"""A full database pool is a 503 with Retry-After, never a 500; the pool is sized by settings."""

from __future__ import annotations

from monitor import db
from monitor.settings import Settings
from tests.monitor.api.conftest import build_world


def test_a_full_pool_answers_503_with_retry_after(api_settings: Settings) -> None:
    settings = api_settings.updated(
        database_pool_size=1, database_max_overflow=0, database_pool_timeout_s=0.2
    )
    world = build_world(settings)
    engine = db.get_engine(settings)
    assert engine.pool.size() == 1  # type: ignore[attr-defined]
    with world.client, engine.connect():  # the pool's one connection, held
        answer = world.client.get("/api/v1/alerts", headers=world.as_("a"))
        assert answer.status_code == 503, answer.text
        assert int(answer.headers["Retry-After"]) > 0
        assert "busy" in answer.json()["detail"]
    assert world.client.get("/api/v1/alerts", headers=world.as_("a")).status_code == 200
