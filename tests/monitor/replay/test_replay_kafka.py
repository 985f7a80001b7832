"""`monitor replay` on the real Kafka: only the window is re-sent, marked, with its progress."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition

from monitor.errors import MonitorError
from monitor.local.topics import ensure_topics
from monitor.replay.service import replay_items
from monitor.replay.window import Window
from monitor.settings import Settings

pytestmark = pytest.mark.kafka
NOW = datetime.now(UTC)


def _settings(kafka: Settings) -> Settings:
    run = uuid.uuid4().hex[:8]
    settings = kafka.updated(topics={"items": f"test-replay-items-{run}"},
                             streams={"app_id": f"test-replay-{run}"})  # fmt: skip
    ensure_topics(settings, [settings.topics.items])
    return settings


def _produce(settings: Settings, messages: list[tuple[str, bytes, datetime]]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka.servers, acks="all")
    try:
        for key, value, at in messages:
            producer.send(settings.topics.items, key=key.encode(), value=value,
                          timestamp_ms=int(at.timestamp() * 1000))  # fmt: skip
        producer.flush()
    finally:
        producer.close()


def _read_all(settings: Settings) -> list[Any]:
    """Return every message on the items topic (all partitions), in offset order per partition."""
    consumer = KafkaConsumer(bootstrap_servers=settings.kafka.servers, consumer_timeout_ms=3000)
    try:
        topic = settings.topics.items
        parts = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic))]
        consumer.assign(parts)
        consumer.seek_to_beginning()
        return list(consumer)
    finally:
        consumer.close()


def _item(item_id: str) -> bytes:
    return orjson.dumps({"id": item_id, "title": f"item {item_id}", "schema": 1})


def test_only_the_window_is_re_sent_marked_once_per_id_with_progress(kafka: Settings) -> None:
    settings = _settings(kafka)
    three, two, one = (NOW - timedelta(hours=h) for h in (3, 2, 1))
    _produce(settings, [
        ("a", _item("a"), three), ("b", _item("b"), three),
        ("c", _item("c"), two), ("d", _item("d"), two), ("c", _item("c"), two),  # c twice
        ("x", b"not json", two),
        ("e", _item("e"), one), ("f", _item("f"), one),
    ])  # fmt: skip
    before = len(_read_all(settings))
    lines: list[str] = []
    window = Window(NOW - timedelta(hours=2, minutes=30), NOW - timedelta(hours=1, minutes=30))
    done = replay_items(settings=settings, window=window, report=lines.append, every_s=0.0)

    assert (done.plan.total, sum(done.read.values())) == (4, 4)  # c, d, c, x
    assert (done.sent, done.repeats, done.unreadable) == (2, 1, 1)
    after = _read_all(settings)
    copies = [m for m in after if m.value.startswith(b"{") and b'"replay"' in m.value]
    new = [orjson.loads(m.value) for m in copies]
    assert len(after) == before + 2
    assert sorted(v["id"] for v in new) == ["c", "d"]
    assert {v["title"] for v in new} == {"item c", "item d"}
    assert len({v["replay"] for v in new}) == 1  # one run id
    assert {m.key for m in copies} == {b"c", b"d"}  # same key: same partition as the original
    assert lines[0].startswith("oldest item the topic holds: ") and "retention" in lines[0]
    assert lines[1].startswith("replay: read 0/4 (")
    assert lines[-1].startswith("replay: read 4/4 (") and lines[-1].endswith("re-sent 2")


def test_a_since_older_than_the_topic_is_reported_and_replaying_again_reads_no_copies(
    kafka: Settings,
) -> None:
    settings = _settings(kafka)
    _produce(settings, [("a", _item("a"), NOW - timedelta(hours=1))])
    lines: list[str] = []
    first = replay_items(settings=settings, window=Window(NOW - timedelta(days=2)),
                         report=lines.append)  # fmt: skip
    assert first.sent == 1
    assert lines[1].startswith(f"warning: --since {NOW - timedelta(days=2):%Y-%m-%d %H:%M:%S} UTC")
    assert "older than the oldest item the topic holds" in lines[1]
    # a later replay of the same window reads the original and the first replay's copy: one send
    again = replay_items(settings=settings, window=Window(NOW - timedelta(days=2)),
                         report=lines.append)  # fmt: skip
    assert (again.plan.total, again.sent, again.repeats) == (2, 1, 1)


def test_an_empty_window_sends_nothing(kafka: Settings) -> None:
    settings = _settings(kafka)
    _produce(settings, [("a", _item("a"), NOW - timedelta(hours=5))])
    lines: list[str] = []
    done = replay_items(settings=settings, window=Window(NOW - timedelta(hours=1)),
                        report=lines.append)  # fmt: skip
    assert (done.plan.total, done.sent) == (0, 0)
    assert lines[-1] == "replay: read 0/0 (nothing), re-sent 0"
    assert len(_read_all(settings)) == 1


def test_an_unknown_topic_is_one_clear_error(kafka: Settings) -> None:
    settings = kafka.updated(topics={"items": f"no-such-topic-{uuid.uuid4().hex[:8]}"})
    with pytest.raises(MonitorError, match="Kafka has no topic 'no-such-topic-"):
        replay_items(settings=settings, window=Window(NOW - timedelta(hours=1)), report=print)
