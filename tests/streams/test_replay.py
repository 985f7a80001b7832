"""`monitor replay` into a running pipeline: the window is tagged again; no buyer hears twice."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from monitor.replay.service import replay_items
from monitor.replay.window import Window
from monitor.settings import Settings
from monitor.tagger import tag as tagger
from streams.agents import register_agents
from streams.app import build, metrics_of
from tests.servers.feedserver import FeedServer
from tests.streams.helpers import running_worker, wait_for
from tests.streams.pipeline import (
    DEMO_NEWS,
    FEEDS,
    add_buyers,
    add_feed,
    alerts,
    incidents,
    pipeline_settings,
    poll_once,
    settled,
)

pytestmark = pytest.mark.kafka
TAG_REPEATS = 'monitor_duplicates_total{stage="tag"}'
COUNTED = ("monitor_items_in_total", "monitor_disruptions_total", TAG_REPEATS,
           "monitor_alerts_total")  # fmt: skip


def counts(text: str) -> dict[str, float]:
    """Return the counters the test follows from the worker's metrics text (summed by name)."""
    out = dict.fromkeys(COUNTED, 0.0)
    for name in COUNTED:
        pattern = re.escape(name) + (r"\s" if "{" in name else r"(\{[^}]*\})?\s")
        for line in text.splitlines():
            if re.match(pattern, line):
                out[name] += float(line.split()[-1])
    return out


async def test_replaying_twice_tags_the_window_again_and_repeats_no_alert(
    kafka: Settings, tmp_path: Path, feed_server: FeedServer
) -> None:
    settings = pipeline_settings(kafka, tmp_path)
    buyers = add_buyers(settings)
    app, topics = build(settings)
    register_agents(app, topics, settings)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    window = Window(datetime.now(UTC) - timedelta(hours=1))
    lines: list[str] = []
    async with running_worker(app):
        await poll_once(settings)
        await wait_for(lambda: len(alerts(settings)) >= 1)
        await wait_for(lambda: settled(settings))
        first = counts(metrics_of(app).text())
        told = [(a.id, a.buyer_id, a.incident_id, a.kind) for a in alerts(settings)]
        stored = sorted((i.id, i.version, len(i.sources)) for i in incidents(settings))
        seen = []
        for _ in range(2):
            done = await asyncio.to_thread(
                replay_items, settings=settings, window=window, report=lines.append
            )
            await wait_for(lambda: settled(settings))
            seen.append((done.sent, counts(metrics_of(app).text())))

    assert {a[1] for a in told} == {buyers["watcher"]}  # a new alert, maybe a worse one
    (sent_1, second), (sent_2, third) = seen
    assert sent_1 == sent_2 == first["monitor_items_in_total"] > 0  # every item, once a run
    tagged = first["monitor_disruptions_total"]
    assert tagged > 0
    # the tag stage tagged every replayed item again, forwarded ids included
    assert second["monitor_items_in_total"] == 2 * first["monitor_items_in_total"]
    assert third["monitor_items_in_total"] == 3 * first["monitor_items_in_total"]
    assert (second["monitor_disruptions_total"], third["monitor_disruptions_total"]) == (
        2 * tagged, 3 * tagged
    )  # fmt: skip
    assert third[TAG_REPEATS] == first[TAG_REPEATS]  # no replayed item was dropped as seen
    # …and downstream nothing changed: same incidents, and no buyer was alerted again
    assert [(a.id, a.buyer_id, a.incident_id, a.kind) for a in alerts(settings)] == told
    assert sorted((i.id, i.version, len(i.sources)) for i in incidents(settings)) == stored
    assert third["monitor_alerts_total"] == first["monitor_alerts_total"] == len(told)
    assert any(line.startswith("oldest item the topic holds:") for line in lines)
    # the second run read the originals and the first run's copies, and sent each id once
    assert lines[-1].startswith(f"replay: read {2 * sent_1}/{2 * sent_1} (")
    assert lines[-1].endswith(f"re-sent {sent_1}")


async def test_after_a_tagger_upgrade_a_replay_opens_the_incidents_it_missed_and_alerts_once(
    kafka: Settings, tmp_path: Path, feed_server: FeedServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    real, upgraded = tagger.tag_prepared, asyncio.Event()

    def versioned(p: Any, doc: Any, hits: Any) -> dict[str, Any]:
        result = real(p, doc, hits)
        if upgraded.is_set():
            return result
        return {**result, "is_disruption": False, "recovery": False, "event_type": None}

    monkeypatch.setattr(tagger, "tag_prepared", versioned)
    in_process = {"tag_processes": 0}  # the patch above holds in this process only
    settings = pipeline_settings(kafka, tmp_path, streams=in_process)
    buyers = add_buyers(settings)
    app, topics = build(settings)
    register_agents(app, topics, settings)
    add_feed(settings, feed_server, DEMO_NEWS)
    add_feed(settings, feed_server, FEEDS / "antwerp-strike-followup.xml")
    window = Window(datetime.now(UTC) - timedelta(hours=1))
    async with running_worker(app):
        await poll_once(settings)
        await wait_for(lambda: settled(settings))
        missed = (len(incidents(settings)), len(alerts(settings)))
        upgraded.set()  # the operator upgrades the tagger, then replays
        await asyncio.to_thread(replay_items, settings=settings, window=window, report=print)
        await wait_for(lambda: len(alerts(settings)) >= 1)
        await wait_for(lambda: settled(settings))
        after_one = [(a.id, a.buyer_id, a.incident_id, a.kind) for a in alerts(settings)]
        opened = sorted((i.id, i.version, len(i.sources)) for i in incidents(settings))
        await asyncio.to_thread(replay_items, settings=settings, window=window, report=print)
        await wait_for(lambda: settled(settings))

    assert missed == (0, 0)  # the old tagger saw no disruption at all
    antwerp = [i for i in incidents(settings) if i.cluster_key == "strike:BEANR"]
    assert len(antwerp) == 1 and len(antwerp[0].sources) == 2  # two articles, one incident
    assert {a[1] for a in after_one} == {buyers["watcher"]}
    assert [a[3] for a in after_one][:1] == ["new"] and len({a[2] for a in after_one}) == 1
    assert set(a[3] for a in after_one) <= {"new", "worse"}
    # the second replay changes nothing and repeats no alert
    assert [(a.id, a.buyer_id, a.incident_id, a.kind) for a in alerts(settings)] == after_one
    assert sorted((i.id, i.version, len(i.sources)) for i in incidents(settings)) == opened
