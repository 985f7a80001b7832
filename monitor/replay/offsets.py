"""Ask Kafka where a replay's window lies on `items`, and how long the topic keeps items."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from monitor.errors import MonitorError
from monitor.replay.window import PartitionRange, Window, from_ms, ranges, to_ms
from monitor.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Plan:
    """What a replay will read: each partition's range, and the oldest item the topic holds."""

    topic: str
    ranges: list[PartitionRange]
    oldest: datetime | None

    @property
    def total(self) -> int:
        """Return how many offsets the replay reads."""
        return sum(r.count for r in self.ranges)


def plan_replay(consumer: Any, topic: str, window: Window) -> Plan:
    """Return the offset ranges of `window` on `topic` (offsets-for-times, per partition)."""
    from kafka import TopicPartition

    partitions = consumer.partitions_for_topic(topic)
    if not partitions:
        raise MonitorError(
            f"Kafka has no topic {topic!r}: create the topics with `monitor kafka topics`"
        )
    parts = [TopicPartition(topic, p) for p in sorted(partitions)]
    latest = {tp.partition: end for tp, end in consumer.end_offsets(parts).items()}
    firsts = _offsets_at(consumer, parts, 0)  # each partition's oldest message still held
    starts = _offsets_at(consumer, parts, to_ms(window.since))
    ends = _offsets_at(consumer, parts, to_ms(window.until)) if window.until else {}
    stamps = [found.timestamp for found in firsts.values() if found is not None]
    return Plan(
        topic=topic,
        ranges=ranges(_offsets(starts), _offsets(ends), latest),
        oldest=from_ms(min(stamps)) if stamps else None,
    )


def _offsets_at(consumer: Any, parts: list[Any], ms: int) -> dict[int, Any]:
    found = consumer.offsets_for_times({tp: ms for tp in parts}, timeout_ms=TIMEOUT_MS)
    return {tp.partition: at for tp, at in found.items()}


def _offsets(found: dict[int, Any]) -> dict[int, int | None]:
    return {p: (at.offset if at is not None else None) for p, at in found.items()}


def retention_ms(settings: Settings, topic: str) -> int | None:
    """Return the topic's `retention.ms` (-1: unlimited); None when the broker does not say."""
    from kafka import KafkaAdminClient
    from kafka.admin import ConfigResource, ConfigResourceType

    try:
        admin = KafkaAdminClient(
            bootstrap_servers=settings.kafka.servers, request_timeout_ms=TIMEOUT_MS
        )
    except Exception as exc:  # the retention is reported, not needed: the replay goes on
        log.info("could not ask for %s's retention: %s", topic, exc)
        return None
    try:
        resource = ConfigResource(ConfigResourceType.TOPIC, topic)
        answer = admin.describe_configs([resource], config_filter="all")
        value = answer["topic"][topic]["retention.ms"]["value"]
        return int(value) if value is not None else None
    except Exception as exc:
        log.info("could not ask for %s's retention: %s", topic, exc)
        return None
    finally:
        admin.close()
