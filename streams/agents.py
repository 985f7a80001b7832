"""Agents: short loops that wire topics to the domain code in `monitor`."""

from __future__ import annotations

import logging
from typing import Any

from streams.worker import app, topics

log = logging.getLogger(__name__)


@app.agent(topics.dead_letters)
async def report_dead_letters(stream: Any) -> None:
    """Log every dead letter so operators see what the pipeline could not handle."""
    async for letter in stream:
        log.warning("dead letter from %s: %s", letter.get("stage", "?"), letter.get("error", "?"))
