"""GET /alerts/stream: Server-Sent Events of new alerts, polled from the database."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from monitor import db
from monitor.api.alert_stream import alert_events
from monitor.keys import service as apikeys
from monitor.models import Alert
from monitor.settings import Settings
from tests.monitor.api.conftest import World, build_world
from tests.servers.api import serve


def _alert(world: World, who: str, incident: str) -> int:
    with db.session_scope(world.settings) as s:
        alert = Alert(buyer_id=world.ids[f"buyer_{who}"], incident_id=incident, severity="high")
        s.add(alert)
        s.flush()
        return alert.id or 0


async def test_events_are_the_new_alerts_of_one_buyer_with_heartbeats(world: World) -> None:
    polls = {"n": 0}

    async def stop() -> bool:
        polls["n"] += 1
        if polls["n"] == 2:  # alerts arrive while the stream runs
            _alert(world, "b", "inc-b")
            _alert(world, "a", "inc-a")
        return polls["n"] > 4

    frames = [
        frame
        async for frame in alert_events(
            engine=db.get_engine(world.settings), buyer_id=world.ids["buyer_a"],
            after_id=world.ids["alert_b"], poll_s=0, heartbeat_s=0, stop=stop,
        )
    ]  # fmt: skip
    alerts = [f for f in frames if "event: alert" in f]
    assert len(alerts) == 1 and '"incident_id": "inc-a"' in alerts[0]
    assert frames[0].startswith("retry:") and any(f == ": heartbeat\n\n" for f in frames)


@pytest.fixture
def server(world: World) -> Iterator[str]:
    """The app served by uvicorn on an ephemeral loopback port."""
    with serve(world.client.app) as url:  # type: ignore[arg-type]
        yield url


def test_a_live_stream_delivers_only_the_callers_alerts(world: World, server: str) -> None:
    got: list[dict] = []
    with (
        httpx.Client(base_url=server, timeout=10) as client,
        client.stream("GET", "/api/v1/alerts/stream", headers=world.as_("a")) as answer,
    ):
        assert answer.status_code == 200
        assert answer.headers["content-type"].startswith("text/event-stream")
        lines = answer.iter_lines()
        assert next(lines).startswith("retry:")
        _alert(world, "b", "inc-for-b")
        new_id = _alert(world, "a", "inc-for-a")
        event_id = None
        for line in lines:
            if line.startswith("id: "):
                event_id = int(line[4:])
            if line.startswith("data: "):
                got.append(json.loads(line[6:]))
                break
    assert event_id == new_id
    assert [g["incident_id"] for g in got] == ["inc-for-a"]


def test_a_buyer_cannot_stream_another_buyers_alerts(world: World) -> None:
    answer = world.client.get(
        f"/api/v1/alerts/stream?buyer_id={world.ids['buyer_b']}", headers=world.as_("a")
    )
    assert answer.status_code == 404
    viewer = world.client.get("/api/v1/alerts/stream", headers=world.as_("viewer"))
    assert viewer.status_code == 403


Stream = tuple[httpx.Response, Iterator[str]]


def _open_stream(stack: ExitStack, client: httpx.Client, headers: dict[str, str]) -> Stream:
    """Open a stream; when it is accepted, read its first line (the route has run).

    Keep the lines: dropping the iterator closes the connection."""
    answer = stack.enter_context(client.stream("GET", "/api/v1/alerts/stream", headers=headers))
    lines = answer.iter_lines()
    if answer.status_code == 200:
        assert next(lines).startswith("retry:")
    return answer, lines


def test_streams_beyond_the_pool_leave_the_api_answering(tmp_path: Path) -> None:
    """More open streams than pooled connections: other requests still get theirs."""
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'pool.db'}", database_pool_size=2,
        database_max_overflow=0, database_pool_timeout_s=3,
        api={"stream_poll_s": 0.05, "stream_heartbeat_s": 0.2, "stream_max_per_key": 40},
    )  # fmt: skip
    db.upgrade(settings)
    world = build_world(settings)
    with ExitStack() as stack:
        url = stack.enter_context(serve(world.client.app))  # type: ignore[arg-type]
        client = stack.enter_context(httpx.Client(base_url=url, timeout=20))
        streams = [_open_stream(stack, client, world.as_(w)) for w in ("a", "b") * 8]
        assert [answer.status_code for answer, _ in streams] == [200] * 16
        with httpx.Client(base_url=url, timeout=20) as other:
            for who in ("a", "admin", "b"):
                assert other.get("/api/v1/alerts", headers=world.as_(who)).status_code == 200
                assert other.get("/api/v1/me", headers=world.as_(who)).status_code == 200


def test_streams_are_capped_per_key_and_in_all(api_settings: Settings) -> None:
    world = build_world(api_settings.updated(api={"stream_max_per_key": 2, "stream_max": 3}))
    with ExitStack() as stack:
        url = stack.enter_context(serve(world.client.app))  # type: ignore[arg-type]
        client = stack.enter_context(httpx.Client(base_url=url, timeout=20))
        first = [_open_stream(stack, client, world.as_("a")) for _ in range(2)]
        third, _ = _open_stream(stack, client, world.as_("a"))
        assert [answer.status_code for answer, _ in first] == [200, 200]
        assert third.status_code == 429 and int(third.headers["Retry-After"]) > 0
        other_key = _open_stream(stack, client, world.as_("b"))
        assert other_key[0].status_code == 200
        full, _ = _open_stream(stack, client, world.as_("admin"))
        assert full.status_code == 503 and int(full.headers["Retry-After"]) > 0
        first[0][0].close()  # a closed stream gives its place back once the server sees it gone
        deadline = time.monotonic() + 10
        while (again := _open_stream(stack, client, world.as_("admin"))[0]).status_code == 503:
            again.close()
            assert time.monotonic() < deadline, "the closed stream's place never came back"
            time.sleep(0.1)
        assert again.status_code == 200


def test_revoking_a_key_ends_its_open_stream(api_settings: Settings) -> None:
    world = build_world(api_settings.updated(api={"stream_key_check_s": 0.2}))
    with ExitStack() as stack:
        url = stack.enter_context(serve(world.client.app))  # type: ignore[arg-type]
        client = stack.enter_context(httpx.Client(base_url=url, timeout=20))
        answer, lines = _open_stream(stack, client, world.as_("a"))
        assert answer.status_code == 200
        with db.session_scope(world.settings) as s:
            apikeys.revoke_key(session=s, prefix=world.keys["a"].split("_")[1])
        deadline = time.monotonic() + 15
        for _line in lines:  # heartbeats keep lines coming while it stays open
            assert time.monotonic() < deadline, "the revoked key's stream is still open"
        assert _open_stream(stack, client, world.as_("a"))[0].status_code == 401
