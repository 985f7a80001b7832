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
    recent = RecentIds(state_table(app, "tag-recent-ids", "item ids tagged recently"),
                       stage.settings.recent_ids_keep_h * 3600)  # fmt: skip

    async def handle(events: Sequence[faust.EventT]) -> None:
        from monitor.tagger.tag import disruption_message, tag_batch

        items: list[ItemRecord] = []
        sources: list[faust.EventT] = []
        for event in events:
            try:
                item = decode(event.value, ItemRecord)
            except DecodeError as exc:
                await stage.dead_letter(str(exc), event)
                continue
            if recent.seen(item.id) or any(item.id == i.id for i in items):
                metrics.duplicates.labels("tag").inc()
                continue
            items.append(item)
            sources.append(event)
        if not items:
            return
        dicts = [item.asdict() for item in items]
        # spaCy is CPU-bound and blocking: run it in a thread so the event loop keeps
        # fetching, committing and answering the broker's heartbeats.
        results = await asyncio.to_thread(tag_batch, dicts)
        for event, fields, result in zip(sources, dicts, results, strict=True):
            metrics.items_in.inc()
            if "error" in result:
                await stage.dead_letter(str(result["error"]), event)
            elif (result["is_disruption"] or result["recovery"]) and result["event_type"]:
                (metrics.recoveries if result["recovery"] else metrics.disruptions).inc()
                message = DisruptionRecord.from_data(disruption_message(fields, result))
                await topics.disruptions.send(key=fields["id"], value=encode(message))
        # Only ids whose output Kafka acknowledged are remembered: a crash before this line
        # tags them again, and the stages downstream drop the repeat.
        await app.producer.flush()
        recent.mark([item.id for item in items])

    @app.agent(topics.items, name="tag")
    async def tag(stream: Any) -> None:
        """Tag items in batches; forward disruptions and recoveries."""
        await stage.run(stream, handle)

    return tag
