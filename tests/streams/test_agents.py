"""The app factory registers every stage; settings shape the agents (no broker needed)."""

from __future__ import annotations

from pathlib import Path

from monitor.settings import Settings
from streams.agents import register_agents
from streams.app import build


def test_the_tag_agent_holds_the_configured_batches_in_flight(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, streams={"tag_batches_in_flight": 3})
    app, topics = build(settings)
    agents = register_agents(app, topics, settings)
    # While the tagger works on one batch, the worker's process sends and acks another.
    assert agents.tag.concurrency == 3
    assert agents.incidents.concurrency == 1  # group_by and incident state need one at a time
    assert {a.name for a in app.agents.values()} >= {"tag", "incidents", "match", "deliver"}
