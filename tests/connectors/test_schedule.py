"""Next-poll times: interval, max-age, Retry-After and jittered exponential backoff."""

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
