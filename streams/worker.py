"""Run one Faust worker process: build the app, register the agents, run until stopped."""

from __future__ import annotations

import faust

from monitor.settings import Settings
from streams.agents import register_agents
from streams.app import build


def run_worker(settings: Settings, loglevel: str = "info") -> None:
    """Run the pipeline's agents in this process until it is stopped."""
    app, topics = build(settings)
    register_agents(app, topics, settings)
    faust.Worker(app, loglevel=loglevel).execute_from_commandline()
