"""Agents: short loops that wire topics to the domain code in `monitor`."""

from __future__ import annotations

import asyncio
import logging
from collections import Counter
from typing import Any

import faust

from streams.app import Topics
from streams.worker import app, topics

log = logging.getLogger(__name__)

TAKE = 64  # items per tagging batch: enough for nlp.pipe to pay off
WITHIN = 1.0  # seconds to wait for a full batch before tagging what has arrived
TAGGED: Counter[str] = Counter()  # disruption, recovery, not_disruption, error


def add_tag_agent(app: faust.App, topics: Topics) -> Any:
    """Register the `tag` agent on `app`: items in, disruptions out, failures dead-lettered."""

    @app.agent(topics.items, name="tag")
    async def tag(stream: Any) -> None:
        """Tag items in batches; forward disruptions, count the rest, dead-letter failures."""
        from monitor.tagger.tag import disruption_message, tag_batch

        loop = asyncio.get_running_loop()
        async for batch in stream.take(TAKE, within=WITHIN):
            # spaCy is CPU-bound and blocking: run it in an executor thread so the event loop
            # keeps fetching, committing offsets and answering the broker's heartbeats; a
            # batch tagged inline could stall the loop long enough to be kicked from the group.
            results = await loop.run_in_executor(None, tag_batch, batch)
            for item, result in zip(batch, results, strict=True):
                key = str(result.get("id") or "")
                if "error" in result:
                    TAGGED["error"] += 1
                    letter = {"stage": "tag", "error": result["error"], "item": item}
                    await topics.dead_letters.send(key=key, value=letter)
                elif result["is_disruption"]:
                    TAGGED["disruption"] += 1
                    await topics.disruptions.send(key=key, value=disruption_message(item, result))
                else:
                    TAGGED["recovery" if result["recovery"] else "not_disruption"] += 1

    return tag


tag = add_tag_agent(app, topics)


@app.agent(topics.dead_letters)
async def report_dead_letters(stream: Any) -> None:
    """Log every dead letter so operators see what the pipeline could not handle."""
    async for letter in stream:
        log.warning("dead letter from %s: %s", letter.get("stage", "?"), letter.get("error", "?"))


@app.timer(60.0)
async def report_tagged() -> None:
    """Log the tagging counts once a minute (non-disruptions are counted, not forwarded)."""
    if TAGGED:
        log.info("tagged so far: %s", dict(TAGGED))
