"""Build the Faust app and its topics from the settings: the one way in.

`build(settings)` returns the app and its topics; `streams.agents.register_agents` adds the
agents. Importing this module builds nothing, so the worker, the tests and the benchmarks each
build their own app (tests with their own topic names and app id).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import faust

from monitor.settings import Settings
from streams.metrics import Metrics


@dataclass(frozen=True)
class Topics:
    """The pipeline's topics (names and partition counts come from the settings).

    Values are raw bytes: every agent decodes them itself, so a value that is not what it
    should be goes to `dead-letters` instead of raising inside Faust.
    """

    items: faust.TopicT
    disruptions: faust.TopicT
    incidents: faust.TopicT
    alerts: faust.TopicT
    dead_letters: faust.TopicT


def create_app(settings: Settings, app_id: str | None = None) -> faust.App:
    """Return a Faust app wired to the configured Kafka; topics are created by the project."""
    return faust.App(
        app_id or settings.streams.app_id,
        broker=f"kafka://{settings.kafka.servers}",
        store="memory://",
        value_serializer="json",
        processing_guarantee=settings.streams.processing_guarantee,
        topic_partitions=settings.topics.partitions,
        topic_replication_factor=settings.topics.replication,
        # The pipeline's topics are created by monitor.local.topics before a worker starts; Faust
        # still declares its own (the tables' changelogs, the cluster repartition topic).
        topic_allow_declare=True,
        web_enabled=settings.streams.web_enabled,
        web_port=settings.streams.web_port,
        web_bind="127.0.0.1" if settings.environment != "production" else "0.0.0.0",
        datadir=str(settings.data_dir / "faust"),
        broker_session_timeout=settings.streams.session_timeout_s,
        broker_heartbeat_interval=settings.streams.heartbeat_s,
        # Offsets are committed every second; a commit per 100 messages cost 7% of throughput
        # in interleaved runs of bench/pipeline.py (856 against 922 items/s, 3 pairs), and a
        # crash re-runs at most a second of messages either way (every sink is idempotent).
        broker_commit_every=10_000,
        broker_commit_interval=1.0,
        producer_acks=-1,
        stream_wait_empty=False,
    )


def declare_topics(app: faust.App, settings: Settings) -> Topics:
    """Declare the design's topics on `app` (raw values, string keys)."""

    def topic(name: str) -> faust.TopicT:
        return app.topic(name, key_type=str, key_serializer="raw", value_serializer="raw")

    return Topics(
        items=topic(settings.topics.items),
        disruptions=topic(settings.topics.disruptions),
        incidents=topic(settings.topics.incidents),
        alerts=topic(settings.topics.alerts),
        dead_letters=topic(settings.topics.dead_letters),
    )


def build(settings: Settings, *, app_id: str | None = None) -> tuple[faust.App, Topics]:
    """Return a new app and its topics, with a metrics registry of its own."""
    app = create_app(settings, app_id)
    app.metrics = Metrics(app)  # type: ignore[attr-defined]
    return app, declare_topics(app, settings)


def metrics_of(app: faust.App) -> Metrics:
    """Return the metrics `build` attached to `app`."""
    return app.metrics  # type: ignore[attr-defined]


def state_table(app: faust.App, name: str, help: str) -> Any:
    """Return a table with string keys and JSON values, backed by a changelog topic."""
    # use_partitioner: a key's changelog partition is the one Kafka gives that key, the same as
    # the source topic's (keyed alike), so a restarted worker recovers the keys it owns.
    schema: Any = faust.Schema(key_type=str, key_serializer="raw", value_serializer="json")
    return app.Table(name, schema=schema, use_partitioner=True, help=help)
