"""FailureThrottle: a sliding window of failures per name, bounded in memory."""

from __future__ import annotations

import pytest

from monitor.keys.throttle import FailureThrottle, Throttled


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_name_is_refused_at_the_limit_until_its_oldest_failure_ages_out() -> None:
    clock = Clock()
    throttle = FailureThrottle(limit=3, window_s=60, clock=clock)
    for _ in range(2):
        throttle.fail("client:a")
        clock.now += 10
    throttle.check("client:a", "client:b")  # two failures: still allowed
    throttle.fail("client:a")
    with pytest.raises(Throttled) as refused:
        throttle.check("client:b", "client:a")
    assert refused.value.retry_after_s == 40  # the first failure leaves the window in 40 s
    throttle.check("client:b")
    clock.now += 40
    throttle.check("client:a")


def test_made_up_names_cost_bounded_memory() -> None:
    throttle = FailureThrottle(limit=2, window_s=60, max_names=100)
    throttle.fail("prefix:first")
    throttle.fail("prefix:first")
    for n in range(1000):
        throttle.fail(f"prefix:{n}")
    assert len(throttle._failures) == 100
    throttle.check("prefix:first")  # the oldest name was dropped
