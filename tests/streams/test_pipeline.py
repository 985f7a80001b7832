"""End to end on the real Kafka: fixture feeds → connectors → agents → alert rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from standardwebhooks.webhooks import Webhook

from monitor.settings import Settings
from streams.agents import register_agents
from streams.app import build, metrics_of
from tests.servers.feedserver import FeedServer
from tests.servers.webhooks import Receiver
from tests.streams.helpers import running_worker, wait_for
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
    settled,
    told,
)

pytestmark = pytest.mark.kafka


async def test_feeds_become_one_alert_per_event_and_an_all_clear(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,
    receiver: Receiver,
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
        await wait_for(lambda: settled(settings))  # all committed and sent: nothing more comes
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
