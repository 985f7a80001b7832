"""Real round trip: kafka-python produces, a Faust agent consumes and forwards, we read it back."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from kafka import KafkaProducer

from monitor.local.topics import ensure_topics
from monitor.settings import Settings
from streams.app import create_app
from tests.streams.helpers import read_topic, running_worker

pytestmark = pytest.mark.kafka


async def test_faust_agent_relays_between_real_topics(kafka: Settings) -> None:
    run = uuid.uuid4().hex[:8]
    source, sink = f"test-in-{run}", f"test-out-{run}"
    ensure_topics(kafka, [source, sink])
    app = create_app(kafka, app_id=f"test-relay-{run}")
    src = app.topic(source, value_serializer="json")
    dst = app.topic(sink, value_serializer="json")

    @app.agent(src)
    async def relay(stream):  # type: ignore[no-untyped-def]
        async for value in stream:
            await dst.send(key=value["id"].encode(), value={**value, "seen_by": "faust"})

    producer = KafkaProducer(
        bootstrap_servers=kafka.kafka.servers, value_serializer=lambda v: json.dumps(v).encode()
    )
    for i in range(5):
        producer.send(source, key=f"item-{i}".encode(), value={"id": f"item-{i}", "n": i})
    producer.flush()
    producer.close()

    async with running_worker(app):
        got = await asyncio.to_thread(read_topic, kafka.kafka.servers, sink, 5)
    assert sorted(v["n"] for v in got) == [0, 1, 2, 3, 4]
    assert all(v["seen_by"] == "faust" for v in got)
