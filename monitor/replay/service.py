"""Replay a window of `items`: read it under the replay's own group, produce it again, marked.

Each item read from [since, until) goes back onto the `items` topic with `replay` set, so the
tag stage tags it again even though it forwarded that id before (`streams.tag.first_sightings`),
and the pipeline re-clusters and matches what the new tags say. Alerts stay idempotent
downstream: a report whose item id its cluster already holds changes nothing, an incident's id
comes from its cluster and first item, and a buyer hears of an incident version once
(`alerted-buyers`, and alerts unique per buyer, incident and version in the database).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import orjson

from monitor.errors import MonitorError
from monitor.local.topics import require_kafka
from monitor.replay.offsets import TIMEOUT_MS, Plan, plan_replay, retention_ms
from monitor.replay.window import Window, retention_lines
from monitor.settings import Settings

Report = Callable[[str], None]
STALL_S = 60.0  # no record for this long while offsets are left: Kafka went away


@dataclass
class Replayed:
    """What a replay did: per partition offsets read, items re-sent, what it skipped."""

    plan: Plan
    read: dict[int, int] = field(default_factory=dict)
    sent: int = 0
    repeats: int = 0  # an id already re-sent in this run (the original and an earlier replay)
    unreadable: int = 0  # not a JSON object with a string id: the tag stage would refuse it

    def line(self) -> str:
        """Return the progress: offsets read of the total, per partition range, and re-sent."""
        parts = ", ".join(f"p{r.partition} {self.read.get(r.partition, 0)}/{r.count}"
                          for r in self.plan.ranges if r.count)  # fmt: skip
        done = sum(self.read.values())
        return f"replay: read {done}/{self.plan.total} ({parts or 'nothing'}), re-sent {self.sent}"


def marked(value: bytes | None, run: str) -> tuple[str, bytes] | None:
    """Return the item's id and its value marked as part of replay `run`; None if not an item."""
    try:
        data = orjson.loads(value) if value is not None else None
    except ValueError:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        return None
    return data["id"], orjson.dumps({**data, "replay": run})


def replay_items(
    *, settings: Settings, window: Window, report: Report, every_s: float = 2.0
) -> Replayed:
    """Re-send the items of `window` for the pipeline to tag again; report progress lines."""
    from kafka import KafkaConsumer, KafkaProducer
    from kafka.errors import KafkaError

    require_kafka(settings)
    topic = settings.topics.items
    consumer = producer = None
    try:
        consumer = KafkaConsumer(
            bootstrap_servers=settings.kafka.servers, group_id=f"{settings.streams.app_id}-replay",
            enable_auto_commit=False, request_timeout_ms=TIMEOUT_MS + 5000,
            client_id="monitor-replay",
        )  # fmt: skip
        plan = plan_replay(consumer, topic, window)
        for line in retention_lines(window, plan.oldest, retention_ms(settings, topic)):
            report(line)
        done = Replayed(plan)
        report(done.line())
        if plan.total:
            producer = KafkaProducer(bootstrap_servers=settings.kafka.servers, acks="all",
                                     linger_ms=20, client_id="monitor-replay")  # fmt: skip
            _copy(consumer, producer, done, report, every_s)
        return done
    except KafkaError as exc:
        raise MonitorError(f"replay failed: Kafka at {settings.kafka.servers}: {exc}") from exc
    finally:
        if producer is not None:
            producer.close()
        if consumer is not None:
            consumer.close(autocommit=False)


def _copy(consumer: Any, producer: Any, done: Replayed, report: Report, every_s: float) -> None:
    """Read every range once and re-send each item id once; commit the group's offsets."""
    from kafka import TopicPartition
    from kafka.structs import OffsetAndMetadata

    plan, run, seen = done.plan, uuid.uuid4().hex[:12], set[str]()
    ends = {TopicPartition(plan.topic, r.partition): r.end for r in plan.ranges if r.count}
    consumer.assign(list(ends))
    for r in plan.ranges:
        if r.count:
            consumer.seek(TopicPartition(plan.topic, r.partition), r.start)
    left, said, heard = dict(ends), time.monotonic(), time.monotonic()
    while left:
        batches = consumer.poll(timeout_ms=1000, max_records=500)
        for tp, records in batches.items():
            for record in records:
                if record.offset >= ends[tp]:
                    break
                done.read[tp.partition] = done.read.get(tp.partition, 0) + 1
                found = marked(record.value, run)
                if found is None:
                    done.unreadable += 1
                elif found[0] in seen:
                    done.repeats += 1
                else:
                    seen.add(found[0])
                    producer.send(plan.topic, key=record.key, value=found[1])
                    done.sent += 1
            heard = time.monotonic()
        for tp in [tp for tp in left if consumer.position(tp) >= left[tp]]:
            consumer.pause(tp)  # read to its end: the rest is newer than the window
            del left[tp]
        if time.monotonic() - said >= every_s:
            said = time.monotonic()
            report(done.line())
        if left and time.monotonic() - heard > STALL_S:
            raise MonitorError(f"replay stalled: no item from Kafka for {STALL_S:.0f}s")
    producer.flush(timeout=TIMEOUT_MS / 1000)
    consumer.commit({tp: OffsetAndMetadata(end, "", -1) for tp, end in ends.items()})
    report(done.line())
