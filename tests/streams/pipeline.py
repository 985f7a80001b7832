"""Builders for the pipeline tests: own topics, database, buyers, and feeds through connectors."""

from __future__ import annotations

import uuid
from pathlib import Path

from kafka import KafkaConsumer, TopicPartition
from sqlmodel import select

from connectors.poller import Poller
from connectors.producer import ItemProducer
from monitor import db
from monitor.db import session_scope
from monitor.local.topics import ensure_topics
from monitor.models import Alert, Buyer, Delivery, Feed, Incident, Watch
from monitor.settings import PROJECT_ROOT, Settings
from monitor.vocab import SEVERITIES
from tests import builders

FEEDS = PROJECT_ROOT / "tests" / "data" / "feeds"
DEMO_NEWS = PROJECT_ROOT / "deploy" / "samples" / "demo-news.xml"


def pipeline_settings(kafka: Settings, tmp_path: Path, **update: object) -> Settings:
    """Return settings with this test's own topics, app id, data dir and SQLite database."""
    run = uuid.uuid4().hex[:8]
    settings = kafka.updated(
        database_url=f"sqlite:///{tmp_path / 'monitor.db'}",
        data_dir=tmp_path,
        fetch={"allow_private_hosts": ["127.0.0.1"]},
        topics={n: f"test-{n}-{run}" for n in
                ("items", "disruptions", "incidents", "alerts", "dead_letters")},
        # a SIGKILLed worker's partitions come back after session_timeout_s, not Faust's 60 s
        streams={"app_id": f"test-pipeline-{run}", "batch_within_s": 0.2,
                 "session_timeout_s": 8.0, "heartbeat_s": 1.0},
        matching={"watch_refresh_s": 1.0},
        delivery={"poll_s": 0.5},
        polling={"host_gap_s": 0.0},  # every test feed is on 127.0.0.1
    ).updated(**update)  # fmt: skip
    ensure_topics(settings)
    db.upgrade(settings)
    return settings


def add_buyers(settings: Settings, webhook_url: str | None = None) -> dict[str, int]:
    """Add a buyer watching cocoa from Belgium (its alerts posted to `webhook_url` when given)
    and one watching Chilean lithium; return their ids."""
    from monitor.buyers.service import new_webhook_secret
    from monitor.suppliers import demo

    with session_scope(settings) as session:
        demo.load(session=session, count=200, seed=7)  # suppliers to suggest
        ids = {}
        for name, material, country in (("watcher", "cocoa", "BE"), ("bystander", "lithium", "CL")):
            buyer = Buyer(name=name)
            if name == "watcher" and webhook_url:
                buyer.webhook_url, buyer.webhook_secret = webhook_url, new_webhook_secret()
            session.add(buyer)
            session.flush()
            assert buyer.id is not None
            session.add(Watch(buyer_id=buyer.id, name=f"{material} from {country}",
                              materials=[material], countries=[country]))  # fmt: skip
            ids[name] = buyer.id
    return ids


def alerts(settings: Settings) -> list[Alert]:
    """Return every stored alert, oldest first."""
    with session_scope(settings) as session:
        return list(session.exec(select(Alert).order_by(Alert.id)).all())  # type: ignore[arg-type]


def told(got: list[Alert], buyer_id: int) -> list[Alert]:
    """Return what `buyer_id` was told of one incident: a new alert, then an all-clear.

    Between them a `worse` alert is right only when the severity rose: whether the second
    report of the event comes in the first one's batch or later is the stream's timing, not
    the test's. Anything else (a repeat, a second incident) fails.
    """
    mine = [a for a in got if a.buyer_id == buyer_id]
    kinds = [a.kind for a in mine]
    assert kinds[:1] == ["new"] and kinds[-1:] == ["all_clear"], kinds
    assert set(kinds[1:-1]) <= {"worse"}, kinds
    ranks = [SEVERITIES.index(a.severity) for a in mine[:-1]]
    assert ranks == sorted(set(ranks)), [a.severity for a in mine]  # each worse one is higher
    assert len({a.incident_id for a in mine}) == 1
    return [mine[0], mine[-1]]


def buyer(settings: Settings, buyer_id: int) -> Buyer:
    """Return one buyer."""
    with session_scope(settings) as session:
        found = session.get(Buyer, buyer_id)
        assert found is not None
        return found


def incidents(settings: Settings) -> list[Incident]:
    """Return every stored incident."""
    with session_scope(settings) as session:
        return list(session.exec(select(Incident)).all())


async def poll_once(settings: Settings) -> None:
    """Poll every due feed once, as a connector process would."""
    producer = ItemProducer(settings)
    try:
        await Poller(settings, engine=db.get_engine(settings), producer=producer).poll_round()
    finally:
        producer.close()


def add_feed(settings: Settings, server: object, path: Path) -> str:
    """Serve a feed file and register it; return its URL."""
    url = server.serve(f"/{uuid.uuid4().hex}/{path.name}", body=path.read_bytes())  # type: ignore[attr-defined]
    builders.add_feed(settings, url=url, kind="rss")
    return url


def make_due(settings: Settings) -> None:
    """Make every feed due now (a failed poll backs a feed off for minutes)."""
    with session_scope(settings) as session:
        for feed in session.exec(select(Feed)).all():
            feed.next_poll_at = None
            session.add(feed)


def caught_up(settings: Settings) -> bool:
    """True when the worker's consumer group has committed every message now on the pipeline's
    topics, so nothing is left that could still come out (a barrier, not a wait by the clock)."""
    topics = [settings.topics.items, settings.topics.disruptions, settings.topics.incidents,
              settings.topics.alerts]  # fmt: skip
    # A consumer of the worker's group that never subscribes: it only reads the group's offsets.
    group = settings.streams.app_id
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka.servers, group_id=group, enable_auto_commit=False
    )
    try:
        # The incidents agent regroups reports by cluster through a topic of its own
        # ("incidents-<disruptions>-by-cluster-repartition"): a report whose disruptions offset
        # is committed may still wait there.
        regrouped = f"-{settings.topics.disruptions}-by-cluster-repartition"
        topics += [name for name in consumer.topics() if name.endswith(regrouped)]
        parts = [TopicPartition(topic, partition) for topic in topics
                 for partition in consumer.partitions_for_topic(topic) or ()]  # fmt: skip
        ends = consumer.end_offsets(parts)
        return all((consumer.committed(tp) or 0) >= end for tp, end in ends.items())
    finally:
        consumer.close(autocommit=False)


def settled(settings: Settings) -> bool:
    """True when the pipeline is caught up and no delivery is still waiting to be sent."""
    with session_scope(settings) as session:
        waiting = session.exec(
            select(Delivery).where(Delivery.status.in_(("pending", "failed")))  # type: ignore[attr-defined]
        ).first()
    return waiting is None and caught_up(settings)


def deliveries(settings: Settings) -> list[Delivery]:
    """Return every delivery row, oldest first."""
    with session_scope(settings) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)).all())  # type: ignore[arg-type]
