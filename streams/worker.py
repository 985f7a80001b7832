"""The worker's app: one module-level app and topics, so agents can register on them."""

from __future__ import annotations

import faust

from monitor.settings import get_settings
from streams.app import create_app, declare_topics

settings = get_settings()
app = create_app(settings)
topics = declare_topics(app, settings)


def run_worker(loglevel: str = "info") -> None:
    """Run the Faust worker in this process until it is stopped."""
    import streams.agents  # noqa: F401 - registers the agents on `app`

    faust.Worker(app, loglevel=loglevel).execute_from_commandline()
