"""Faults while items flow: a worker SIGKILLed and started again loses and repeats nothing."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.settings import Settings
from tests.connectors.feedserver import FeedServer, feed_server  # noqa: F401
from tests.streams.pipeline import (
    DEMO_NEWS,
    FEEDS,
    add_buyers,
    add_feed,
    alerts,
    incidents,
    pipeline_settings,
    poll_once,
)
from tests.streams.test_pipeline import wait_for

pytestmark = pytest.mark.kafka


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    """Start `monitor worker` as its own process with the test's settings (log in `log`)."""
    env = {**os.environ}
    for name in ("database_url", "data_dir", "faust_app_id", "topic_items", "topic_disruptions",
                 "topic_incidents", "topic_alerts", "topic_dead_letters",
                 "stream_batch_within_s", "watch_refresh_s", "faust_session_timeout_s",
                 "faust_heartbeat_s"):  # fmt: skip
        env[f"MONITOR_{name.upper()}"] = str(getattr(settings, name))
    env["MONITOR_FAUST_WEB_ENABLED"] = "false"
    out = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "monitor", "worker", "--loglevel", "info"],
                            stdout=out, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)  # fmt: skip


async def test_sigkilled_worker_restarts_and_every_alert_exists_once(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,  # noqa: F811
) -> None:
    settings = pipeline_settings(kafka, tmp_path)
    buyers = add_buyers(settings)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    log = tmp_path / "worker.log"
    first = start_worker(settings, log)
    try:
        await poll_once(settings)
        await wait_for(lambda: len(incidents(settings)) >= 1, timeout=180)  # mid-flow
        os.killpg(first.pid, signal.SIGKILL)
        first.wait()
        second = start_worker(settings, log)
        try:
            await wait_for(lambda: len(alerts(settings)) >= 1, timeout=180)
            add_feed(settings, feed_server, FEEDS / "antwerp-strike-ends.xml")
            await poll_once(settings)
            await wait_for(lambda: len(alerts(settings)) >= 2, timeout=180)
            await asyncio.sleep(3)  # a repeat would come now
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(60)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    got = [(a.buyer_id, a.kind, a.incident_id) for a in alerts(settings)]
    assert [(b, k) for b, k, _ in got] == [(buyers["watcher"], "new"),
                                          (buyers["watcher"], "all_clear")]  # fmt: skip
    assert got[0][2] == got[1][2]
    antwerp = [i for i in incidents(settings) if i.cluster_key == "strike:BEANR"]
    assert len(antwerp) == 1 and len(antwerp[0].sources) == 3
