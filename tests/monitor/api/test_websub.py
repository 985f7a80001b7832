"""The WebSub callback route: no key, a bounded body, 404 for unknown tokens or when off."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from monitor import db
from monitor.api.app import create_app
from monitor.feeds import websub
from monitor.feeds.models import WebSubSubscription
from monitor.settings import Settings
from tests import builders

TOPIC = "https://feeds.example/a.xml"


@pytest.fixture
def on(tmp_path: Path) -> Settings:
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        api={"public_url": "https://monitor.example/", "max_body_bytes": 1000},
    )
    db.upgrade(settings)
    return settings


def requested_token(settings: Settings) -> str:
    feed = builders.add_feed(settings, url=TOPIC)
    with Session(db.get_engine(settings)) as session:
        websub.note_hub(session=session, feed=feed, hub="https://hub.example/", topic=TOPIC,
                        now=feed.created_at)  # fmt: skip
        session.commit()
        sub = session.exec(select(WebSubSubscription)).one()
        sub.state = "requested"
        session.add(sub)
        session.commit()
        return sub.token


def check(topic: str = TOPIC) -> dict[str, str]:
    return {"hub.mode": "subscribe", "hub.topic": topic, "hub.challenge": "ch4llenge",
            "hub.lease_seconds": "3600"}  # fmt: skip


def test_the_hub_needs_no_key_and_gets_the_challenge_back_as_text(on: Settings) -> None:
    client = TestClient(create_app(on))
    token = requested_token(on)
    answer = client.get(f"/api/v1/websub/{token}", params=check())
    assert answer.status_code == 200 and answer.text == "ch4llenge"
    assert answer.headers["content-type"].startswith("text/plain")
    assert client.get(f"/api/v1/websub/{token}x", params=check()).status_code == 404
    assert client.post(f"/api/v1/websub/{token}x", content=b"<feed/>").status_code == 404


def test_the_callback_url_is_under_the_public_address(on: Settings) -> None:
    assert websub.callback_url(on, "tok") == "https://monitor.example/api/v1/websub/tok"


def test_without_a_public_url_the_callback_answers_404(on: Settings) -> None:
    token = requested_token(on)
    client = TestClient(create_app(on.updated(api={"public_url": None})))
    assert client.get(f"/api/v1/websub/{token}", params=check()).status_code == 404
    assert client.post(f"/api/v1/websub/{token}", content=b"<feed/>").status_code == 404


def test_a_delivery_over_the_body_limit_is_refused_unread(on: Settings) -> None:
    token = requested_token(on)
    client = TestClient(create_app(on))
    answer = client.post(f"/api/v1/websub/{token}", content=b"x" * 1001)
    assert answer.status_code == 413


def test_a_token_longer_than_any_issued_is_refused(on: Settings) -> None:
    client = TestClient(create_app(on))
    assert client.get("/api/v1/websub/" + "t" * 65, params=check()).status_code == 422


def test_the_rest_of_the_api_still_needs_a_key(on: Settings) -> None:
    client = TestClient(create_app(on))
    assert client.post("/api/v1/feeds", json={"url": TOPIC}).status_code == 401
    assert client.post("/api/v1/websubx", content=b"x").status_code == 401
