"""Count failures per name (a client address, a key prefix) in a sliding window; refuse more.

Bounded: at most `max_names` names are remembered, the least recently failed dropped first, so
a flood of made-up names costs a fixed amount of memory.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable


class Throttled(Exception):
    """Too many recent failures for a name; retry after `retry_after_s` seconds."""

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(f"too many failed attempts: retry after {retry_after_s} s")
        self.retry_after_s = retry_after_s


class FailureThrottle:
    """Refuse a name with `limit` failures within the last `window_s` seconds."""

    def __init__(
        self,
        *,
        limit: int,
        window_s: float,
        max_names: int = 100_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.window_s, self.max_names, self._clock = limit, window_s, max_names, clock
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # key checks run in the server's worker threads

    def check(self, *names: str) -> None:
        """Raise `Throttled` when any of `names` has reached the limit."""
        now = self._clock()
        with self._lock:
            longest = max((self._wait(name, now) for name in names), default=0.0)
        if longest > 0:
            raise Throttled(max(1, math.ceil(longest)))

    def fail(self, *names: str) -> None:
        """Count one failure against each of `names`."""
        now = self._clock()
        with self._lock:
            for name in names:
                times = self._failures.pop(name, None) or deque(maxlen=self.limit)
                times.append(now)
                self._failures[name] = times  # last: the most recently failed
            while len(self._failures) > self.max_names:
                self._failures.popitem(last=False)

    def _wait(self, name: str, now: float) -> float:
        times = self._failures.get(name)
        while times and times[0] <= now - self.window_s:
            times.popleft()
        if not times:
            self._failures.pop(name, None)
            return 0.0
        return times[0] + self.window_s - now if len(times) >= self.limit else 0.0
