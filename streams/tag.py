"""The tag agent: items in, disruptions and recoveries out, each item id handled once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import faust

from streams.app import state_table
from streams.records import DisruptionRecord, ItemRecord, encode
from streams.stage import Stage
from streams.tag_pool import TaggerPool

E = TypeVar("E")


class RecentIds:
    """Which ids a stage handled in the last `keep_s` seconds."""

    def __init__(self, table: Any, keep_s: float) -> None:
        self.table = table
        self.keep_s = keep_s
        self._pruned = time.time()

    def seen(self, item_id: str) -> bool:
        """Return whether the id was handled within the kept time."""
        at = self.table.get(item_id)
        return at is not None and at >= time.time() - self.keep_s

    def mark(self, ids: Sequence[str]) -> None:
        """Remember the ids (after their output was acknowledged), and forget old ones."""
        now = time.time()
        for item_id in ids:
            self.table[item_id] = now
        if now - self._pruned > min(self.keep_s, 600.0):
            self._pruned = now
            cutoff = now - self.keep_s
            for key in [k for k, at in self.table.items() if at is None or at < cutoff]:
                del self.table[key]


def first_sightings(
    batch: Sequence[tuple[E, ItemRecord]], seen: Callable[[str], bool]
) -> tuple[list[tuple[E, ItemRecord]], int]:
    """Return the items to tag (each id once, none seen recently) and how many were repeats.

    A replayed item (`monitor replay`) is tagged again even when its id was seen: re-tagging
    it is what the replay is for, and the stages downstream keep the outcome idempotent.
    """
    ids: set[str] = set()
    fresh = []
    for source, item in batch:
        if item.id not in ids and (item.replay is not None or not seen(item.id)):
            ids.add(item.id)
            fresh.append((source, item))
    return fresh, len(batch) - len(fresh)


@dataclass(frozen=True)
class Tagged:
    """What a tagged item becomes: a record to forward, a dead letter's error, or neither."""

    forward: DisruptionRecord | None = None
    error: str | None = None


def tagged(item: ItemRecord, result: Mapping[str, Any]) -> Tagged:
    """Return what the tagger's `result` for `item` makes the stage send."""
    from monitor.hazards import hazard_fields
    from monitor.tagger.tag import disruption_message

    if "error" in result:
        return Tagged(error=str(result["error"]))
    if (result["is_disruption"] or result["recovery"]) and result["event_type"]:
        fields = item.asdict()
        message = disruption_message(fields, result)
        message |= hazard_fields(fields, message.get("places") or [])
        return Tagged(forward=DisruptionRecord.from_data(message))
    return Tagged()


def register_tag(app: faust.App, stage: Stage) -> Any:
    """Register the `tag` agent on `app`."""
    topics, metrics = stage.topics, stage.metrics
    # Only items that produced output are remembered: a repeated non-disruption is tagged again
    # (no output either way), which costs less than a changelog write for every item.
    recent = RecentIds(state_table(app, "tag-recent-ids", "ids of items that were forwarded"),
                       stage.settings.streams.recent_ids_keep_h * 3600)  # fmt: skip
    pool = TaggerPool(stage.settings.streams.tag_processes)

    async def handle(events: Sequence[faust.EventT]) -> None:
        batch, repeats = first_sightings(await stage.decode(events, ItemRecord), recent.seen)
        if repeats:
            metrics.duplicates.labels("tag").inc(repeats)
        if not batch:
            return
        # The tagger runs in other processes: it takes plain mappings.
        results = await pool.tag([item.asdict() for _event, item in batch])
        forwarded: list[str] = []
        for (event, item), result in zip(batch, results, strict=True):
            metrics.items_in.inc()
            out = tagged(item, result)
            if out.error is not None:
                await stage.dead_letter(out.error, event)
            elif out.forward is not None:
                (metrics.recoveries if out.forward.recovery else metrics.disruptions).inc()
                await topics.disruptions.send(key=item.id, value=encode(out.forward))
                forwarded.append(item.id)
        # Only ids whose output Kafka acknowledged are remembered: a crash before this line
        # tags them again, and the stages downstream drop the repeat.
        await app.producer.flush()
        recent.mark(forwarded)

    @app.agent(topics.items, name="tag", concurrency=stage.settings.streams.tag_batches_in_flight)
    async def tag(stream: Any) -> None:
        """Tag items in batches; forward disruptions and recoveries."""
        await stage.run(stream, handle)

    @app.task
    async def stop_taggers() -> None:
        """Stop the tagger processes when the worker stops."""
        try:
            await asyncio.Event().wait()
        finally:
            pool.close()

    return tag
