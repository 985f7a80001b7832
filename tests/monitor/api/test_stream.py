"""GET /alerts/stream: Server-Sent Events of new alerts, polled from the database."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from monitor import db
from monitor.api.alerts import alert_events
from monitor.models import Alert
from tests.monitor.api.conftest import World


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
    config = uvicorn.Config(
        world.client.app, host="127.0.0.1", port=0, log_level="warning",
        timeout_graceful_shutdown=1,
    )  # fmt: skip
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = srv.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


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
