"""Build the Faust app and its topics from the settings."""

from __future__ import annotations

from dataclasses import dataclass

import faust

from monitor.settings import Settings, get_settings


@dataclass(frozen=True)
class Topics:
    """The pipeline's topics (names and partition counts come from the settings)."""

    items: faust.TopicT
    disruptions: faust.TopicT
    incidents: faust.TopicT
    alerts: faust.TopicT
    dead_letters: faust.TopicT


def create_app(settings: Settings | None = None, app_id: str | None = None) -> faust.App:
    """Return a Faust app wired to the configured Kafka; topics are created by the project."""
    settings = settings or get_settings()
    return faust.App(
        app_id or settings.faust_app_id,
        broker=f"kafka://{settings.bootstrap_servers}",
        store="memory://",
        value_serializer="json",
        topic_partitions=settings.topic_partitions,
        topic_replication_factor=settings.topic_replication,
        # The pipeline's topics are created by monitor.topics before a worker starts; Faust
        # still needs to declare its own internal topics (the leader assignor's).
        topic_allow_declare=True,
        web_enabled=False,
        datadir=str(settings.data_dir / "faust"),
        broker_commit_every=100,
        producer_acks=-1,
        stream_wait_empty=False,
    )


def declare_topics(app: faust.App, settings: Settings | None = None) -> Topics:
    """Declare the design's topics on `app` (JSON values, string keys)."""
    settings = settings or get_settings()

    def topic(name: str) -> faust.TopicT:
        return app.topic(name, key_type=str, key_serializer="raw", value_serializer="json")

    return Topics(
        items=topic(settings.topic_items),
        disruptions=topic(settings.topic_disruptions),
        incidents=topic(settings.topic_incidents),
        alerts=topic(settings.topic_alerts),
        dead_letters=topic(settings.topic_dead_letters),
    )
