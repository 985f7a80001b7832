"""Restart a crashed child of `monitor run` with backoff, and give up on one that crash-loops."""

from __future__ import annotations

import subprocess
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from monitor.errors import MonitorError

Spawn = Callable[[], "subprocess.Popen[bytes]"]
Echo = Callable[[str], None]


@dataclass(frozen=True)
class RestartPolicy:
    """How soon a crashed child comes back, and how many crashes make a crash loop."""

    first_delay_s: float = 1.0
    max_delay_s: float = 30.0
    crash_loop_count: int = 5  # this many crashes within the window: stop everything
    crash_loop_window_s: float = 120.0

    def delay_s(self, recent_crashes: int) -> float:
        """The wait before the next start: doubling with each recent crash, capped."""
        return min(self.max_delay_s, self.first_delay_s * 2 ** max(0, recent_crashes - 1))


@dataclass
class Child:
    """One supervised process: its spawn function, its process, and its recent crashes."""

    name: str
    spawn: Spawn
    log: str
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    proc: subprocess.Popen[bytes] | None = None
    crashes: deque[float] = field(default_factory=deque)
    restart_at: float | None = None

    def start(self) -> subprocess.Popen[bytes]:
        """Start the process."""
        self.proc = self.spawn()
        self.restart_at = None
        return self.proc

    def check(self, echo: Echo, now: float | None = None) -> None:
        """Notice a crash (one line, then a restart after backoff) or raise on a crash loop."""
        now = time.monotonic() if now is None else now
        if self.restart_at is not None:
            if now >= self.restart_at:
                echo(f"{self.name} restarted (pid {self.start().pid})")
            return
        if self.proc is None or (code := self.proc.poll()) is None:
            return
        self._note_crash(now)
        if len(self.crashes) >= self.policy.crash_loop_count:
            raise MonitorError(
                f"{self.name} exited with code {code} {len(self.crashes)} times within "
                f"{self.policy.crash_loop_window_s:.0f}s; stopping. See {self.log}"
            )
        delay = self.policy.delay_s(len(self.crashes))
        echo(f"{self.name} exited with code {code}; restarting in {delay:.0f}s (see {self.log})")
        self.restart_at = now + delay

    def _note_crash(self, now: float) -> None:
        self.crashes.append(now)
        while self.crashes and now - self.crashes[0] > self.policy.crash_loop_window_s:
            self.crashes.popleft()
