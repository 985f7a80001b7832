"""bench/latency.py's pure helpers: percentiles, the publish schedule and the served feed."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from bench.latency import (
    child_env,
    latencies,
    percentile,
    publish_schedule,
    render_rss,
    summary,
)
from connectors import registry
from monitor.settings import Settings


def test_percentile_is_the_nearest_rank() -> None:
    values = list(range(100, 0, -1))  # 1..100, unordered
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile(values, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert percentile([1.0, 2.0, 3.0], 50) == 2.0


def test_percentile_of_nothing_is_an_error() -> None:
    with pytest.raises(ValueError):
        percentile([], 50)


def test_summary_says_how_many_came_back() -> None:
    assert summary([], 4) == "none of 4 came back"
    line = summary([1.0, 2.0, 30.0], 4)
    assert "p50   2.00 s" in line and "max   30.0 s" in line and "(3 of 4)" in line


def test_schedule_spreads_distinct_reports_over_the_window() -> None:
    plan = publish_schedule(items=20, feeds=5, duration_s=300, rng=random.Random(1))
    times = [p.at_s for p in plan]
    assert len(plan) == 20 and times == sorted(times)
    assert all(0 <= t < 300 for t in times)
    assert {p.feed for p in plan} <= set(range(5)) and len({p.feed for p in plan}) > 1
    assert len({p.title for p in plan}) == 20  # each a new event
    assert all(p.measured for p in plan)
    again = publish_schedule(items=20, feeds=5, duration_s=300, rng=random.Random(1))
    assert again == plan


def test_schedule_lead_in_publishes_at_the_same_pace_unmeasured() -> None:
    plan = publish_schedule(items=10, feeds=2, duration_s=300, lead_in_s=600, rng=random.Random(2))
    early = [p for p in plan if not p.measured]
    assert len(early) == 20 and all(p.at_s < 600 for p in early)
    assert [p for p in plan if p.measured] == plan[20:]
    assert all(600 <= p.at_s < 900 for p in plan[20:])


def test_schedule_refuses_more_reports_than_events() -> None:
    with pytest.raises(ValueError, match="distinct events"):
        publish_schedule(items=1000, feeds=1, duration_s=60, rng=random.Random(0))


def test_served_feed_parses_as_the_connectors_read_it() -> None:
    at = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    body = render_rss("bench & co", [("Fire & flood at Genoa", "Port closed.", "http://x/1", at)])
    (item,) = registry.parse(body, kind="rss", url="http://x/feed")
    assert item.title == "Fire & flood at Genoa" and item.url == "http://x/1"
    assert item.published is not None and item.published.startswith("2026-12-05T11:00")


def test_latencies_count_only_measured_links_that_arrived() -> None:
    t0 = datetime(2026, 12, 5, 11, 0, tzinfo=UTC)
    published = {"a": t0, "b": t0, "c": t0}
    reached = {"a": t0.replace(second=30), "b": t0.replace(second=5)}
    assert latencies(published, reached, {"a", "b", "c"}) == [5.0, 30.0]
    assert latencies(published, reached, {"a"}) == [30.0]


def test_children_get_the_runs_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MONITOR_API_PUBLIC_URL", raising=False)
    settings = Settings(
        topics={"items": "bench-items-x"},
        fetch={"allow_private_hosts": ["127.0.0.1"]},
        polling={"adaptive": False},
    )
    env = child_env(settings)
    assert env["MONITOR_TOPICS_ITEMS"] == "bench-items-x"
    assert env["MONITOR_FETCH_ALLOW_PRIVATE_HOSTS"] == '["127.0.0.1"]'
    assert env["MONITOR_POLLING_ADAPTIVE"] == "false"
    assert "MONITOR_API_PUBLIC_URL" not in env  # unset is WebSub off, not the text "None"
