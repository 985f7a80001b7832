"""End to end on the real Kafka: fixture feeds → connectors → agents → alert rows."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from monitor.settings import Settings
from streams.agents import register_agents
from streams.app import build, metrics_of
from tests.connectors.feedserver import FeedServer, feed_server  # noqa: F401
from tests.monitor.delivery.conftest import Receiver, receiver  # noqa: F401
from tests.streams.helpers import running_worker
from tests.streams.pipeline import (
    DEMO_NEWS,
    FEEDS,
    add_buyers,
    add_feed,
    alerts,
    buyer,
    incidents,
    pipeline_settings,
    poll_once,
    told,
)

pytestmark = pytest.mark.kafka


async def wait_for(check, timeout: float = 90.0) -> None:  # type: ignore[no-untyped-def]
    """Wait until `check()` is true (the pipeline is asynchronous); fail after `timeout`."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await asyncio.to_thread(check):
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("the pipeline did not get there in time")
        await asyncio.sleep(0.5)


async def test_feeds_become_one_alert_per_event_and_an_all_clear(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,  # noqa: F811
    receiver: Receiver,  # noqa: F811
) -> None:
    settings = pipeline_settings(kafka, tmp_path)
    buyers = add_buyers(settings, webhook_url=receiver.url)
    app, topics = build(settings)
    register_agents(app, topics, settings)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    async with running_worker(app):
        await poll_once(settings)
        await wait_for(lambda: len(alerts(settings)) >= 1)
        add_feed(settings, feed_server, FEEDS / "antwerp-strike-ends.xml")
        await poll_once(settings)
        await wait_for(lambda: len(alerts(settings)) >= 2)
        # the worker posts one webhook per alert
        await wait_for(lambda: len(receiver.received) >= len(alerts(settings)))
        await asyncio.sleep(2)  # nothing more should come
        metrics = metrics_of(app).text()
    everything = alerts(settings)
    assert {a.buyer_id for a in everything} == {buyers["watcher"]}  # the others: nothing
    got = told(everything, buyers["watcher"])
    new = got[0]
    assert new.incident_id == got[1].incident_id
    assert "Antwerp" in new.incident["title"]
    stored = incidents(settings)
    antwerp = [i for i in stored if i.cluster_key == "strike:BEANR"]
    assert [i.id for i in antwerp] == [new.incident_id]  # two articles, one incident
    assert len(antwerp[0].sources) == 3 and antwerp[0].status == "closed"  # and its recovery
    assert new.why["materials"] == ["cocoa"]
    assert "country BE" in new.why["places"]
    assert new.why["evidence"]
    assert new.suggestions and new.suggestions[0]["material"] == "cocoa"
    suppliers = new.suggestions[0]["suppliers"]
    assert suppliers and all(s["country"] != "BE" and s["reasons"] for s in suppliers)
    assert got[1].incident["status"] == "closed"
    secret = buyer(settings, buyers["watcher"]).webhook_secret or ""
    posted = [Webhook(secret).verify(r.body, r.headers) for r in receiver.received]
    assert [(p["type"], p["id"], p["kind"]) for p in posted] == [
        ("alert", a.id, a.kind) for a in everything
    ]  # each alert once, signed: new, any worse one, all-clear
    assert [r.headers["webhook-id"] for r in receiver.received] == [
        f"alert_{a.id}" for a in everything
    ]
    assert 'monitor_alerts_total{kind="new"} 1.0' in metrics
    assert 'monitor_incidents_total{event="closed"} 1.0' in metrics
