"""WebSub end to end on 127.0.0.1: a feed names a local hub, the poller subscribes, the hub
checks intent at the API's callback and pushes signed content, which is produced as a poll's."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from connectors import registry
from connectors.handler import Handler
from connectors.http import make_client
from connectors.poller import Poller
from connectors.subscriber import Subscriber, push_handler
from monitor import db
from monitor.api.app import create_app
from monitor.feeds import service as feeds
from monitor.feeds.models import Feed, WebSubSubscription
from monitor.settings import Settings
from tests import builders
from tests.samples import FIXTURES
from tests.servers.api import serve
from tests.servers.feedserver import FeedServer, RecordingProducer
from tests.servers.websub_hub import Hub

POLLED = "rss/rss_2.0_nbcny.xml"
PUSHED = "rss/rss_2.0_spiegel.xml"
FORGED = "rss/rss_2.0_cloudflare.xml"


@dataclass
class Stack:
    """The API serving the callback, the settings that name it, and what reached 'Kafka'."""

    settings: Settings
    producer: RecordingProducer
    base: str
    client: TestClient


@pytest.fixture
def hub() -> Iterator[Hub]:
    server = Hub()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def stack(poll_settings: Settings) -> Iterator[Stack]:
    app = create_app(poll_settings)
    producer = RecordingProducer()
    with serve(app) as base:
        # The callback's address is known once the server listens; the app reads it per request.
        settings = poll_settings.updated(api={"public_url": base}, polling={"adaptive": False})
        app.state.settings = settings
        engine = db.get_engine(settings)
        app.state.websub_push = push_handler(Handler(settings, engine, producer))
        yield Stack(settings, producer, base, TestClient(app))


def subscription(settings: Settings, feed_id: int) -> WebSubSubscription:
    with Session(db.get_engine(settings)) as session:
        return session.exec(
            select(WebSubSubscription).where(WebSubSubscription.feed_id == feed_id)
        ).one()


def ids(fixture: str, feed: Feed) -> set[str]:
    body = (FIXTURES / fixture).read_bytes()
    return {i.id for i in registry.parse(body, kind="rss", feed_id=feed.id, url=feed.url)}


async def subscribe(settings: Settings) -> int:
    async with make_client(settings) as client:
        return await Subscriber(settings, engine=db.get_engine(settings)).run_once(client)


def hub_feed(feed_server: FeedServer, hub: Hub) -> str:
    path = f"/{uuid.uuid4().hex}"
    topic = feed_server.url(path)
    link = f'<{hub.url}>; rel="hub", <{topic}>; rel="self"'
    return feed_server.serve(path, fixture=POLLED, headers={"Link": link})


async def test_a_pushed_feed_is_subscribed_verified_delivered_and_renewed(
    feed_server: FeedServer, hub: Hub, stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    settings, producer = stack.settings, stack.producer
    topic = hub_feed(feed_server, hub)
    feed = builders.add_feed(settings, url=topic, interval_s=600)
    await Poller(settings, engine=db.get_engine(settings), producer=producer).poll_round()
    assert {i.id for i in producer.produced} == ids(POLLED, feed)
    assert subscription(settings, feed.id or 0).state == "pending"

    assert await subscribe(settings) == 1
    sub = hub.wait_verified(topic)
    form = hub.requests[-1]
    assert form["hub.topic"] == topic and form["hub.callback"].startswith(stack.base)
    assert form["hub.lease_seconds"] == str(settings.polling.websub_lease_s)
    row = subscription(settings, feed.id or 0)
    assert (row.state, row.lease_s, row.secret) == ("active", sub.lease_s, sub.secret)

    # A signed push is produced as a poll's; the polled items again are deduplicated.
    assert hub.publish(topic, (FIXTURES / PUSHED).read_bytes(), method="sha1") == [202]
    assert hub.publish(topic, (FIXTURES / POLLED).read_bytes(), method="sha384") == [202]
    produced = [i.id for i in producer.produced]
    assert len(produced) == len(set(produced))
    assert set(produced) == ids(POLLED, feed) | ids(PUSHED, feed)
    # Signed wrong or not at all: answered 2xx (so the hub stops), dropped, counted.
    forged = (FIXTURES / FORGED).read_bytes()
    assert hub.publish(topic, forged, wrong=True) == [202]
    assert hub.publish(topic, forged, sign=False) == [202]
    assert not ids(FORGED, feed) & {i.id for i in producer.produced}
    metrics = stack.client.get("/api/v1/metrics").text
    assert 'monitor_websub_deliveries_total{outcome="bad_signature"} 2.0' in metrics
    assert 'monitor_websub_deliveries_total{outcome="accepted"} 2.0' in metrics

    # Pushed feeds are still polled, as a slower fallback.
    pushed = builders.get_feed(settings, feed.id or 0)
    assert pushed.next_poll_at is not None and pushed.last_fetch_at is not None
    wait = pushed.next_poll_at - pushed.last_fetch_at
    assert wait == timedelta(seconds=600 * settings.polling.websub_fallback_factor)

    # Before the lease ends, the same subscription is asked for again.
    with Session(db.get_engine(settings)) as session:
        row = session.get(WebSubSubscription, row.id)
        assert row is not None and row.next_attempt_at is not None and row.expires_at is not None
        assert row.next_attempt_at < row.expires_at
        row.next_attempt_at = datetime.now(UTC) - timedelta(seconds=1)
        session.add(row)
        session.commit()
    asked = len(hub.requests)
    assert await subscribe(settings) == 1
    assert len(hub.requests) == asked + 1 and hub.requests[-1]["hub.secret"] == sub.secret
    assert hub.wait_verified(topic).callback == sub.callback

    # A removed feed answers 410 Gone, which tells the hub to stop.
    with Session(db.get_engine(settings)) as session:
        feeds.remove_feed(session=session, feed_id=feed.id or 0)
        session.commit()
    assert hub.publish(topic, (FIXTURES / PUSHED).read_bytes()) == [410]
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert sub.secret not in logged


async def test_a_hub_that_refuses_is_retried_later_and_nothing_is_verified(
    feed_server: FeedServer, hub: Hub, stack: Stack
) -> None:
    hub.answer = 500
    topic = hub_feed(feed_server, hub)
    feed = builders.add_feed(stack.settings, url=topic, interval_s=600)
    poller = Poller(stack.settings, engine=db.get_engine(stack.settings), producer=stack.producer)
    await poller.poll_round()
    assert await subscribe(stack.settings) == 0
    row = subscription(stack.settings, feed.id or 0)
    assert row.state == "pending" and row.attempts == 1 and "HTTP 500" in (row.last_error or "")
    assert row.secret not in (row.last_error or "")
    assert row.next_attempt_at is not None
    assert row.next_attempt_at.replace(tzinfo=UTC) > datetime.now(UTC) + timedelta(seconds=60)
    assert await subscribe(stack.settings) == 0 and len(hub.requests) == 1  # not due yet


async def test_without_a_public_url_feeds_with_hubs_are_only_polled(
    feed_server: FeedServer, hub: Hub, poll_settings: Settings
) -> None:
    topic = hub_feed(feed_server, hub)
    feed = builders.add_feed(poll_settings, url=topic, interval_s=600)
    producer = RecordingProducer()
    await Poller(poll_settings, engine=db.get_engine(poll_settings), producer=producer).poll_round()
    assert {i.id for i in producer.produced} == ids(POLLED, feed)
    with Session(db.get_engine(poll_settings)) as session:
        assert session.exec(select(WebSubSubscription)).all() == []
    assert hub.requests == []
