"""FailureThrottle: a sliding window of attempts per name, bounded in memory."""

from __future__ import annotations

import pytest

from monitor.throttle import FailureThrottle, Throttled


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_name_is_refused_at_the_limit_until_its_oldest_failure_ages_out() -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=3, window_s=60, clock=clock)
    for _ in range(3):
        throttle.take("client:a")
        clock.now += 10
    with pytest.raises(Throttled) as refused:
        throttle.take("client:b", "client:a")
    assert refused.value.retry_after_s == 30  # the first attempt leaves the window in 30 s
    throttle.take("client:b")  # the refused attempt counted against neither name
    throttle.take("client:b")
    clock.now += 30
    throttle.take("client:a")


def test_a_forgiven_attempt_does_not_count() -> None:
    throttle = FailureThrottle(limit=2, window_s=60)
    for _ in range(5):
        throttle.take("prefix:p")
        throttle.forgive("prefix:p")
    throttle.take("prefix:p")
    throttle.take("prefix:p")
    with pytest.raises(Throttled):
        throttle.take("prefix:p")


def test_made_up_names_cost_bounded_memory() -> None:
    throttle = FailureThrottle(limit=2, window_s=60, max_names=100)
    throttle.take("prefix:first")
    throttle.take("prefix:first")
    for n in range(1000):
        throttle.take(f"prefix:{n}")
    assert len(throttle._failures) == 100
    throttle.take("prefix:first")  # the oldest name was dropped
