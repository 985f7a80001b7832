"""Register the pipeline's agents on an app built by `streams.app.build`.

Agents are short loops (see streams/stage.py): each decodes its batch into typed records,
hands them to its module's plain functions (the stage's rules, over the domain code in
`monitor/`; tests call them without Kafka) and sends what they return:
items ─tag─▶ disruptions ─incidents─▶ incidents ─match─▶ alerts ─deliver─▶ database.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import faust

from monitor.settings import Settings
from streams.app import Topics
from streams.deliver import register_deliver
from streams.incidents import register_incidents
from streams.match import register_match
from streams.records import DeadLetter, DecodeError, decode
from streams.stage import Stage
from streams.tag import register_tag

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Agents:
    """The registered agents, by stage."""

    tag: Any
    incidents: Any
    match: Any
    deliver: Any
    dead_letters: Any


def register_agents(app: faust.App, topics: Topics, settings: Settings) -> Agents:
    """Register every agent (and its tables and timers) on `app`."""

    def stage(name: str) -> Stage:
        return Stage(name, app, topics, settings)

    @app.agent(topics.dead_letters, name="dead-letters")
    async def report_dead_letters(stream: Any) -> None:
        """Log every dead letter so operators see what the pipeline could not handle."""
        async for value in stream:
            try:
                dead = decode(value, DeadLetter)
                log.info("dead letter from %s: %s", dead.stage, dead.error)
            except DecodeError as exc:
                log.info("unreadable dead letter: %s", exc)

    return Agents(
        tag=register_tag(app, stage("tag")),
        incidents=register_incidents(app, stage("incidents")),
        match=register_match(app, stage("match")),
        deliver=register_deliver(app, stage("deliver")),
        dead_letters=report_dead_letters,
    )
