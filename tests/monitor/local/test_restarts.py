"""A crashed child of `monitor run` comes back after a backoff; a crash loop stops the run."""

from __future__ import annotations

import subprocess
import sys

import pytest

from monitor.errors import MonitorError
from monitor.local.restarts import Child, RestartPolicy


def _exits(code: int) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen([sys.executable, "-c", f"raise SystemExit({code})"])
    proc.wait()
    return proc


class _Spawner:
    """Hands out processes that have already exited with the given code, counting starts."""

    def __init__(self, code: int = -9) -> None:
        self.code, self.starts = code, 0

    def __call__(self) -> subprocess.Popen[bytes]:
        self.starts += 1
        return _exits(self.code)


def test_the_delay_doubles_with_each_recent_crash_up_to_the_cap() -> None:
    policy = RestartPolicy(first_delay_s=1, max_delay_s=5)
    assert [policy.delay_s(n) for n in (1, 2, 3, 4, 5)] == [1, 2, 4, 5, 5]


def test_a_crashed_child_is_named_then_restarted_after_the_backoff() -> None:
    spawn, lines = _Spawner(code=3), []
    child = Child("worker", spawn, "logs/worker.log", RestartPolicy(first_delay_s=2))
    child.start()
    child.check(lines.append, now=100.0)
    assert lines == ["worker exited with code 3; restarting in 2s (see logs/worker.log)"]
    child.check(lines.append, now=101.0)  # still waiting out the backoff
    assert spawn.starts == 1
    child.check(lines.append, now=102.0)
    assert spawn.starts == 2
    assert lines[-1].startswith("worker restarted (pid ")


def test_a_running_child_is_left_alone() -> None:
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        lines: list[str] = []
        child = Child("api", lambda: running, "api.log")
        child.start()
        child.check(lines.append, now=0.0)
        assert lines == []
    finally:
        running.kill()
        running.wait()


def test_a_crash_loop_stops_the_run_with_one_clear_line() -> None:
    policy = RestartPolicy(first_delay_s=1, crash_loop_count=3, crash_loop_window_s=60)
    child, lines = Child("worker", _Spawner(code=1), "worker.log", policy), []
    child.start()
    now = 0.0
    with pytest.raises(MonitorError, match=r"worker exited with code 1 3 times within 60s"):
        for _ in range(10):
            child.check(lines.append, now=now)  # notices the crash
            now += 10
            child.check(lines.append, now=now)  # restarts it
    assert sum("restarting" in line for line in lines) == 2


def test_crashes_older_than_the_window_are_forgiven() -> None:
    policy = RestartPolicy(first_delay_s=1, crash_loop_count=2, crash_loop_window_s=60)
    spawn, lines = _Spawner(code=1), []
    child = Child("connectors", spawn, "c.log", policy)
    child.start()
    for now in (0.0, 100.0, 200.0, 300.0):  # one crash every 100 s: never a loop
        child.check(lines.append, now=now)
        child.check(lines.append, now=now + 1)
    assert spawn.starts == 5
    assert all("restarting in 1s" in line for line in lines if "restarting" in line)
