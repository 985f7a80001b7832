"""Disruptions are keyed by cluster, so one worker holds a cluster; a report under another key
(another producer) is sent again under its own and still joins its incident."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from kafka import KafkaProducer

from monitor.incidents import cluster_key
from monitor.settings import Settings
from streams.agents import register_agents
from streams.app import build, metrics_of
from tests.streams.helpers import running_worker
from tests.streams.pipeline import incidents, pipeline_settings

pytestmark = pytest.mark.kafka

ANTWERP = {"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR",
           "lat": 51.22, "lon": 4.40}  # fmt: skip


def report(item_id: str, published: str) -> dict[str, object]:
    return {"schema": 1, "id": item_id, "is_disruption": True, "recovery": False,
            "event_type": "strike", "severity": "high", "countries": ["BE"],
            "places": [ANTWERP], "materials": [], "evidence": [], "title": "Antwerp strike",
            "url": "https://example.org/a", "published": published, "feed_id": 1}  # fmt: skip


async def test_reports_under_other_keys_join_their_cluster(kafka: Settings, tmp_path: Path) -> None:
    settings = pipeline_settings(kafka, tmp_path, topic_partitions=4)
    app, topics = build(settings)
    register_agents(app, topics, settings)
    first, second = (
        report("a", "2026-12-01T08:00:00+00:00"),
        report("b", "2026-12-01T09:00:00+00:00"),
    )
    assert cluster_key(first) == "strike:BEANR"
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers)
    producer.send(settings.topic_disruptions, key=b"strike:BEANR", value=json.dumps(first).encode())
    producer.send(settings.topic_disruptions, key=b"b", value=json.dumps(second).encode())
    producer.flush()
    producer.close()
    async with running_worker(app):
        for _ in range(120):
            found = await asyncio.to_thread(incidents, settings)
            if found and len(found[0].sources) == 2:
                break
            await asyncio.sleep(0.5)
        metrics = metrics_of(app).text()
    assert [(i.cluster_key, len(i.sources)) for i in found] == [("strike:BEANR", 2)]
    assert "monitor_repartitioned_total 1.0" in metrics
