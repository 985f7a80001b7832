"""Faults while items flow: a worker or a connector SIGKILLed, or the broker stopped for longer
than the produce timeout, loses and repeats nothing: every expected alert exists once."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from operator import attrgetter
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from monitor.local import broker
from monitor.settings import Settings
from tests.servers.feedserver import FeedServer
from tests.servers.webhooks import Receiver
from tests.streams.helpers import wait_for
from tests.streams.pipeline import (
    DEMO_NEWS,
    FEEDS,
    add_buyers,
    add_feed,
    alerts,
    deliveries,
    incidents,
    make_due,
    pipeline_settings,
    poll_once,
    settled,
    told,
)

pytestmark = pytest.mark.kafka


def start(settings: Settings, log: Path, *command: str) -> subprocess.Popen[bytes]:
    """Start `monitor <command>` as its own process with the test's settings (log in `log`)."""
    allowed = json.dumps(settings.fetch.allow_private_hosts)
    env = {**os.environ, "MONITOR_STREAMS_WEB_ENABLED": "false",
           "MONITOR_FETCH_ALLOW_PRIVATE_HOSTS": allowed}  # fmt: skip
    for path in ("database_url", "data_dir", "streams.app_id", "topics.items",
                 "topics.disruptions", "topics.incidents", "topics.alerts", "topics.dead_letters",
                 "kafka.produce_timeout_s", "streams.batch_within_s", "matching.watch_refresh_s",
                 "streams.session_timeout_s", "streams.heartbeat_s"):  # fmt: skip
        env["MONITOR_" + path.replace(".", "_").upper()] = str(attrgetter(path)(settings))
    out = log.open("ab")
    return subprocess.Popen([sys.executable, "-m", "monitor", *command],
                            stdout=out, stderr=subprocess.STDOUT, env=env,
                            start_new_session=True)  # fmt: skip


def start_worker(settings: Settings, log: Path) -> subprocess.Popen[bytes]:
    """Start `monitor worker`, logging at info."""
    return start(settings, log, "worker", "--loglevel", "info")


@contextlib.contextmanager
def worker_running(settings: Settings, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """Run a worker process for the block, stopped with SIGTERM (SIGKILL if it hangs)."""
    worker = start_worker(settings, log)
    try:
        yield worker
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(60)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()


def assert_one_alert_each(settings: Settings, buyers: dict[str, int], receiver: Receiver) -> None:
    """The watcher got one new alert and one all-clear for the one Antwerp incident, each
    delivered once and posted to its webhook once."""
    got = alerts(settings)
    sent = deliveries(settings)
    assert sorted(d.alert_id for d in sent) == [a.id for a in got]  # one delivery per alert
    assert {d.status for d in sent} == {"delivered"}
    posted = [r.headers["webhook-id"] for r in receiver.received]
    assert sorted(posted) == sorted(f"alert_{a.id}" for a in got)  # each alert posted once
    assert {a.buyer_id for a in got} == {buyers["watcher"]}
    told(got, buyers["watcher"])
    antwerp = [i for i in incidents(settings) if i.cluster_key == "strike:BEANR"]
    assert len(antwerp) == 1 and len(antwerp[0].sources) == 3
    assert antwerp[0].status == "closed"


async def test_sigkilled_worker_restarts_and_every_alert_exists_once(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,
    receiver: Receiver,
) -> None:
    settings = pipeline_settings(kafka, tmp_path)
    buyers = add_buyers(settings, webhook_url=receiver.url)
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
            await wait_for(lambda: settled(settings), timeout=180)  # all committed, all sent
        finally:
            os.killpg(second.pid, signal.SIGTERM)
            second.wait(60)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    assert_one_alert_each(settings, buyers, receiver)


async def test_broker_away_longer_than_the_produce_timeout_loses_and_repeats_nothing(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,
    receiver: Receiver,
) -> None:
    settings = pipeline_settings(kafka, tmp_path).updated(kafka={"produce_timeout_s": 3.0})
    buyers = add_buyers(settings, webhook_url=receiver.url)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    with worker_running(settings, tmp_path / "worker.log"):
        await poll_once(settings)
        await wait_for(lambda: len(incidents(settings)) >= 1, timeout=180)  # items flowing
        await asyncio.to_thread(broker.stop, kafka)
        try:
            add_feed(settings, feed_server, FEEDS / "antwerp-strike-ends.xml")
            await poll_once(settings)  # Kafka is away: nothing acknowledged, nothing marked seen
            await asyncio.sleep(settings.kafka.produce_timeout_s)  # the client's late retries
        finally:
            await asyncio.to_thread(broker.start, kafka)
        make_due(settings)
        await poll_once(settings)
        await wait_for(lambda: len(alerts(settings)) >= 2, timeout=180)
        await wait_for(lambda: settled(settings), timeout=180)  # all committed, all sent
    assert_one_alert_each(settings, buyers, receiver)


async def test_connector_sigkilled_mid_round_loses_and_repeats_nothing(
    kafka: Settings,
    tmp_path: Path,
    feed_server: FeedServer,
    receiver: Receiver,
) -> None:
    settings = pipeline_settings(kafka, tmp_path)
    buyers = add_buyers(settings, webhook_url=receiver.url)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    slow = urlsplit(add_feed(settings, feed_server, FEEDS / "antwerp-strike-ends.xml")).path
    feed_server.routes[slow].delay = 600.0  # the round is still running when the kill comes
    log = tmp_path / "connector.log"
    with worker_running(settings, tmp_path / "worker.log"):
        connector = start(settings, log, "connectors", "run", "--once")
        try:
            await wait_for(lambda: len(incidents(settings)) >= 1, timeout=180)
        finally:
            os.killpg(connector.pid, signal.SIGKILL)
            connector.wait()
        feed_server.routes[slow].delay = 0.0
        make_due(settings)  # a restarted connector polls every feed again
        await poll_once(settings)
        await wait_for(lambda: len(alerts(settings)) >= 2, timeout=180)
        await wait_for(lambda: settled(settings), timeout=180)  # all committed, all sent
    assert_one_alert_each(settings, buyers, receiver)
