"""Fixture feeds over real HTTP into the real local Kafka: exactly the expected items, once."""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaConsumer, TopicPartition
from sqlmodel import Session

from connectors import registry
from connectors.base import Item
from connectors.dedup import SeenIndex
from connectors.poller import Poller
from connectors.producer import ItemProducer
from monitor import db
from monitor.local.topics import ensure_topics
from monitor.models import Feed
from monitor.settings import Settings
from tests import builders
from tests.samples import FIXTURES
from tests.servers.feedserver import FeedServer

pytestmark = pytest.mark.kafka

FIXTURE_FEEDS = {
    "rss": "rss/rss_2.0_nbcny.xml",
    "gdacs": "gdacs/gdacs-rss.xml",
    "usgs": "usgs/usgs_all_earthquakes_past_day.json",
    "cap": "cap/oasis/example4.xml",
    "nws": "nws/sample.json",
    "jsonfeed": "feedparser-corpus/json/example.json",
}


@pytest.fixture
def run_settings(kafka: Settings, tmp_path: Path) -> Settings:
    """Settings with this test's own topics and database."""
    run = uuid.uuid4().hex[:8]
    settings = kafka.updated(
        **{
            "database_url": f"sqlite:///{tmp_path / 'monitor.db'}",
            "allow_private_hosts": ["127.0.0.1"],
            "topic_items": f"test-items-{run}",
            "topic_dead_letters": f"test-dead-letters-{run}",
        }
    )
    ensure_topics(kafka, [settings.topics.items, settings.topics.dead_letters])
    db.upgrade(settings)
    return settings


def read_all(settings: Settings, topic: str) -> list[tuple[str | None, dict[str, Any]]]:
    """Read every message currently in `topic`, from the start to the end offsets."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka.servers, enable_auto_commit=False)
    try:
        parts = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
        consumer.assign(parts)
        consumer.seek_to_beginning(*parts)
        end = consumer.end_offsets(parts)
        got: list[tuple[str | None, dict[str, Any]]] = []
        while any(consumer.position(p) < end[p] for p in parts):
            for records in consumer.poll(timeout_ms=1000).values():
                for r in records:
                    got.append((r.key.decode() if r.key else None, json.loads(r.value)))
        return got
    finally:
        consumer.close()


async def poll(settings: Settings) -> None:
    """Poll every due feed once with a fresh poller and producer, as a restarted process would."""
    producer = ItemProducer(settings)
    try:
        await Poller(settings, engine=db.get_engine(settings), producer=producer).poll_round()
    finally:
        producer.close()


def make_all_due(settings: Settings) -> None:
    with Session(db.get_engine(settings)) as session:
        for feed in session.query(Feed).all():
            feed.next_poll_at = None
            session.add(feed)
        session.commit()


def add_fixture_feeds(settings: Settings, server: FeedServer) -> dict[str, str]:
    """Add one feed per kind; return the expected items, id -> title."""
    expected: dict[str, str] = {}
    for kind, fixture in FIXTURE_FEEDS.items():
        url = server.serve(f"/{uuid.uuid4().hex}/{kind}", fixture=fixture)
        feed = builders.add_feed(settings, url=url)  # the kind is detected
        body = (FIXTURES / fixture).read_bytes()
        for item in registry.parse(body, kind=kind, feed_id=feed.id, url=url):
            expected[item.id] = item.title
    return expected


async def test_fixture_feeds_reach_kafka_exactly_once(
    run_settings: Settings,
    feed_server: FeedServer,
) -> None:
    expected = add_fixture_feeds(run_settings, feed_server)
    bad = feed_server.serve(f"/{uuid.uuid4().hex}", body=b"<rss><channel><item>", etag='"x"')
    builders.add_feed(run_settings, url=bad, kind="cap")
    await poll(run_settings)
    got = read_all(run_settings, run_settings.topics.items)
    assert len(got) == len(expected) > 200
    assert {key: value["title"] for key, value in got} == expected
    assert all(value["id"] == key for key, value in got)
    dead = read_all(run_settings, run_settings.topics.dead_letters)
    assert [(d["stage"], d["url"]) for _, d in dead] == [("connector", bad)]
    for _ in range(2):  # poll again, then again with a new poller and producer: no duplicates
        make_all_due(run_settings)
        await poll(run_settings)
        assert len(read_all(run_settings, run_settings.topics.items)) == len(expected)
    health = builders.list_feeds(run_settings)
    assert sum(f.items_produced for f in health) == len(expected)


async def test_unreachable_kafka_marks_nothing_seen(
    run_settings: Settings,
    feed_server: FeedServer,
) -> None:
    url = feed_server.serve(f"/{uuid.uuid4().hex}", fixture=FIXTURE_FEEDS["gdacs"], etag='"g"')
    feed = builders.add_feed(run_settings, url=url)
    wrong = run_settings.updated(
        **{"kafka_bootstrap_servers": "127.0.0.1:9", "produce_timeout_s": 2.0}
    )
    await poll(wrong)
    after = builders.get_feed(run_settings, feed.id or 0)
    assert "Kafka is not reachable at 127.0.0.1:9" in (after.last_error or "")
    assert after.etag is None and after.items_produced == 0
    assert SeenIndex(db.get_engine(run_settings)).count() == 0
    make_all_due(run_settings)
    await poll(run_settings)  # the broker is back: every item arrives, once
    got = read_all(run_settings, run_settings.topics.items)
    after = builders.get_feed(run_settings, feed.id or 0)
    assert len(got) == after.items_produced == 16 and after.etag == '"g"'


def test_an_oversize_record_does_not_sink_the_others(run_settings: Settings) -> None:
    small = Item(id="a" * 64, feed_id=None, kind="rss", title="fits", body="")
    big = Item(id="b" * 64, feed_id=None, kind="rss", title="too big", body="x" * 2_000_000)
    producer = ItemProducer(run_settings)
    try:
        acked, error = producer.produce([big, small])
    finally:
        producer.close()
    assert acked == [small]
    assert (error or "").startswith(f"Kafka refused item {big.id}")
    assert [key for key, _ in read_all(run_settings, run_settings.topics.items)] == [small.id]
