"""A full database pool is a 503 with Retry-After, never a 500; the pool is sized by settings."""

from __future__ import annotations

import asyncio

import httpx

from monitor import db
from monitor.settings import Settings
from tests.monitor.api.conftest import build_world
from tests.servers.api import serve


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


def test_more_concurrent_requests_than_connections_all_answer(api_settings: Settings) -> None:
    """64 requests at once on a pool of 2: they wait their turn, none waits out the pool."""
    settings = api_settings.updated(
        database_pool_size=2, database_max_overflow=0, database_pool_timeout_s=5
    )
    world = build_world(settings)

    async def burst(url: str) -> list[int]:
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            calls = [
                client.get("/api/v1/alerts", headers=world.as_(("a", "b", "admin")[n % 3]))
                for n in range(64)
            ]
            return [answer.status_code for answer in await asyncio.gather(*calls)]

    with serve(world.client.app) as url:  # type: ignore[arg-type]
        assert asyncio.run(burst(url)) == [200] * 64
