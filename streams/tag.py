"""The tag agent: items in, disruptions and recoveries out, each item id handled once."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence
from typing import Any

import faust

from streams.app import state_table
from streams.records import DecodeError, DisruptionRecord, ItemRecord, decode, encode
from streams.stage import Stage
from streams.tag_pool import TaggerPool


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


def register_tag(app: faust.App, stage: Stage) -> Any:
    """Register the `tag` agent on `app`."""
    topics, metrics = stage.topics, stage.metrics
    # Only items that produced output are remembered: a repeated non-disruption is tagged again
    # (no output either way), which costs less than a changelog write for every item.
    recent = RecentIds(state_table(app, "tag-recent-ids", "ids of items that were forwarded"),
                       stage.settings.recent_ids_keep_h * 3600)  # fmt: skip

    pool = TaggerPool(stage.settings.tag_processes)

    async def handle(events: Sequence[faust.EventT]) -> None:
        from monitor.tagger.tag import disruption_message

        items: list[ItemRecord] = []
        sources: list[faust.EventT] = []
        ids: set[str] = set()
        for event in events:
            try:
                item = decode(event.value, ItemRecord)
            except DecodeError as exc:
                await stage.dead_letter(str(exc), event)
                continue
            if item.id in ids or recent.seen(item.id):
                metrics.duplicates.labels("tag").inc()
                continue
            ids.add(item.id)
            items.append(item)
            sources.append(event)
        if not items:
            return
        dicts = [item.asdict() for item in items]
        forwarded: list[str] = []
        results = await pool.tag(dicts)
        for event, fields, result in zip(sources, dicts, results, strict=True):
            metrics.items_in.inc()
            if "error" in result:
                await stage.dead_letter(str(result["error"]), event)
            elif (result["is_disruption"] or result["recovery"]) and result["event_type"]:
                (metrics.recoveries if result["recovery"] else metrics.disruptions).inc()
                message = DisruptionRecord.from_data(disruption_message(fields, result))
                await topics.disruptions.send(key=fields["id"], value=encode(message))
                forwarded.append(fields["id"])
        # Only ids whose output Kafka acknowledged are remembered: a crash before this line
        # tags them again, and the stages downstream drop the repeat.
        await app.producer.flush()
        recent.mark(forwarded)

    @app.agent(topics.items, name="tag", concurrency=stage.settings.tag_batches_in_flight)
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
