"""The tag agent on a real broker: items in, disruptions out, a bad item dead-lettered."""

from __future__ import annotations

import asyncio
import json
import uuid

import pytest
from kafka import KafkaProducer

from monitor.settings import Settings
from monitor.topics import ensure_topics
from streams.app import Topics, create_app
from tests.streams.helpers import read_topic, running_worker

pytestmark = pytest.mark.kafka

ITEMS = [
    {"id": "strike", "title": "Dockworkers strike halts Antwerp container terminals",
     "body": "Cocoa shipments from the Port of Antwerp were halted on Monday."},
    {"id": "earnings", "title": "Miner reports higher quarterly profit",
     "body": "Revenue rose and the dividend was raised."},
    {"id": "typhoon", "title": "Typhoon forces closure of Busan port",
     "body": "Container handling was suspended as the typhoon hit South Korea."},
    ["not", "an", "object"],
]  # fmt: skip


async def test_tag_agent_forwards_disruptions_and_dead_letters_bad_items(kafka: Settings) -> None:
    from streams.agents import TAGGED, add_tag_agent

    run = uuid.uuid4().hex[:8]
    names = [f"test-{n}-{run}" for n in ("items", "disruptions", "incidents", "alerts", "dead")]
    ensure_topics(kafka, names)
    app = create_app(kafka, app_id=f"test-tag-{run}")
    topics = Topics(*(app.topic(n, value_serializer="json") for n in names))
    add_tag_agent(app, topics)
    before = TAGGED["not_disruption"]

    producer = KafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, value_serializer=lambda v: json.dumps(v).encode()
    )
    for item in ITEMS:
        producer.send(names[0], key=b"one-partition-keeps-order", value=item)
    producer.flush()
    producer.close()

    async with running_worker(app):
        disruptions = await asyncio.to_thread(read_topic, kafka.bootstrap_servers, names[1], 2)
        dead = await asyncio.to_thread(read_topic, kafka.bootstrap_servers, names[4], 1)

    by_id = {d["id"]: d for d in disruptions}
    assert set(by_id) == {"strike", "typhoon"}
    assert by_id["strike"]["event_type"] == "strike"
    assert by_id["typhoon"]["event_type"] == "storm"
    assert by_id["strike"]["title"] == ITEMS[0]["title"]  # type: ignore[index]
    assert dead[0]["stage"] == "tag" and dead[0]["item"] == ["not", "an", "object"]
    assert TAGGED["not_disruption"] == before + 1
