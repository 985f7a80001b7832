"""Next-poll times: interval, max-age, Retry-After, jittered exponential backoff, and the
interval adapted to how often a feed publishes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from connectors import schedule

NOW = datetime(2026, 1, 1, tzinfo=UTC)


def test_success_waits_the_interval_or_a_longer_max_age() -> None:
    def wait(max_age: int | None) -> timedelta:
        return (
            schedule.after_success(NOW, interval_s=600, max_age=max_age, max_age_cap_s=3600) - NOW
        )

    assert wait(None) == wait(60) == timedelta(seconds=600)
    assert wait(1800) == timedelta(seconds=1800)
    assert wait(10**9) == timedelta(seconds=3600)  # capped


def test_backoff_doubles_with_jitter_and_is_capped() -> None:
    rng = random.Random(7)
    for failures in range(1, 8):
        for _ in range(50):
            at = schedule.after_failure(
                NOW, interval_s=60, failures=failures, retry_after=None,
                backoff_max_s=3600, rng=rng,
            )  # fmt: skip
            ceiling = min(3600, 60 * 2**failures)
            assert ceiling / 2 <= (at - NOW).total_seconds() <= ceiling


def test_retry_after_is_a_floor() -> None:
    at = schedule.after_failure(
        NOW, interval_s=60, failures=1, retry_after=5000, backoff_max_s=86400
    )
    assert at - NOW >= timedelta(seconds=5000)


def test_the_publish_gap_starts_after_the_backlog_and_is_smoothed() -> None:
    assert schedule.publish_gap(None, last_new_at=None, now=NOW, new_items=20) is None
    then = NOW - timedelta(seconds=600)
    assert schedule.publish_gap(None, last_new_at=then, now=NOW, new_items=5) == 120.0
    assert schedule.publish_gap(1000.0, last_new_at=then, now=NOW, new_items=1) == 880.0
    assert schedule.publish_gap(300.0, last_new_at=then, now=NOW, new_items=0) == 300.0


def adaptive(interval_s: int, gap: float | None, silence_s: float = 0, **bounds: int) -> int:
    limits = {"min_s": 60, "max_s": 3600} | bounds
    return schedule.adaptive_interval(
        interval_s, publish_gap_s=gap, last_new_at=NOW - timedelta(seconds=silence_s), now=NOW,
        **limits,
    )  # fmt: skip


def test_a_busy_feed_is_polled_more_often_within_the_bounds() -> None:
    assert adaptive(600, None) == 600  # no estimate yet: the interval as set
    assert adaptive(600, 400) == 200  # half its pace
    assert adaptive(600, 30) == 60  # never more often than the minimum
    assert adaptive(30, 10) == 30  # ...unless the operator set a shorter interval
    assert adaptive(600, 400, silence_s=1600) == 800  # gone quiet: polled less often
    assert adaptive(600, 400, silence_s=90000) == 3600  # at most the maximum
    assert adaptive(7200, 400, silence_s=90000) == 7200  # or the interval, if longer
    assert adaptive(600, 400, silence_s=90000, max_s=0) == 600  # max 0: never slower than set
