"""Poison messages on a real broker land in dead-letters, with where they came from; the rest
flows on."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from kafka import KafkaProducer

from monitor.settings import Settings
from monitor.tagger import tag as tagger
from streams.agents import register_agents
from streams.app import build, metrics_of
from tests.streams.helpers import read_topic, running_worker
from tests.streams.pipeline import pipeline_settings

pytestmark = pytest.mark.kafka

GOOD = [
    {"id": "strike", "title": "Dockworkers strike halts Antwerp container terminals",
     "body": "Cocoa shipments from the Port of Antwerp were halted on Monday."},
    {"id": "earnings", "title": "Miner reports higher quarterly profit",
     "body": "Revenue rose and the dividend was raised."},
    {"id": "typhoon", "title": "Typhoon forces closure of Busan port",
     "body": "Container handling was suspended as the typhoon hit South Korea."},
]  # fmt: skip
POISON = [
    b"{not json",
    b'["not", "an", "object"]',
    b'{"id": 5, "title": "wrong type"}',
    b'{"id": "future", "title": "x", "schema": 99}',
    json.dumps({"id": "crash", "title": "Strike at a port", "body": "tagger crashes"}).encode(),
]


async def test_poison_goes_to_dead_letters_and_the_rest_flows(
    kafka: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = tagger.tag_prepared

    def crashing(p, doc, hits):  # type: ignore[no-untyped-def]
        if p.item.get("id") == "crash":
            raise RuntimeError("the tagger fell over")
        return real(p, doc, hits)

    monkeypatch.setattr(tagger, "tag_prepared", crashing)
    in_process = {"tag_processes": 0}  # the patch above holds in this process only
    settings = pipeline_settings(kafka, tmp_path, streams=in_process)
    app, topics = build(settings)
    register_agents(app, topics, settings)
    producer = KafkaProducer(bootstrap_servers=settings.kafka.servers)
    for value in POISON:
        producer.send(settings.topics.items, key=b"poison", value=value)
    for item in GOOD:
        producer.send(
            settings.topics.items, key=item["id"].encode(), value=json.dumps(item).encode()
        )
    producer.send(settings.topics.disruptions, key=b"bad", value=b"\xff\xfe not a disruption")
    producer.flush()
    producer.close()

    async with running_worker(app):
        bootstrap = settings.kafka.servers
        disruptions = await asyncio.to_thread(
            read_topic, bootstrap, settings.topics.disruptions, 3
        )  # one is poison
        dead = await asyncio.to_thread(read_topic, bootstrap, settings.topics.dead_letters, 6)
        metrics = metrics_of(app).text()

    assert sorted(d["id"] for d in disruptions if "id" in d) == ["strike", "typhoon"]
    by_payload = {d["payload"]: d for d in dead}
    assert {d["stage"] for d in dead} == {"tag", "incidents"}
    for value in POISON:
        letter = by_payload[value.decode()]
        assert letter["stage"] == "tag" and letter["topic"] == settings.topics.items
        assert letter["offset"] is not None and letter["partition"] is not None
    assert "not JSON" in by_payload["{not json"]["error"]
    assert "schema version 99" in by_payload[POISON[3].decode()]["error"]
    assert "tagging failed" in by_payload[POISON[4].decode()]["error"]
    incidents = [d for d in dead if d["stage"] == "incidents"]
    assert len(incidents) == 1 and "not JSON" in incidents[0]["error"]
    assert 'monitor_dead_letters_total{stage="tag"} 5.0' in metrics
