"""When to poll a feed next: its interval, the server's wishes, and backoff after failures."""

from __future__ import annotations

import random
from datetime import datetime, timedelta


def after_success(
    now: datetime, *, interval_s: int, max_age: int | None, max_age_cap_s: int
) -> datetime:
    """Return the next poll after a success: the interval, or longer if max-age asks for it."""
    wait = max(interval_s, min(max_age or 0, max_age_cap_s))
    return now + timedelta(seconds=wait)


def after_failure(
    now: datetime,
    *,
    interval_s: int,
    failures: int,
    retry_after: float | None,
    backoff_max_s: int,
    rng: random.Random | None = None,
) -> datetime:
    """Return the next poll after `failures` failures in a row: exponential, jittered backoff.

    The ceiling doubles with each failure; the wait is drawn between half the ceiling and the
    ceiling ("equal jitter"), so feeds that failed together do not all retry together. A
    Retry-After from the server is a floor.
    """
    ceiling = min(backoff_max_s, interval_s * 2 ** min(failures, 20))
    wait = ceiling / 2 + (rng or random).uniform(0, ceiling / 2)
    if retry_after is not None:
        wait = max(wait, min(retry_after, backoff_max_s))
    return now + timedelta(seconds=wait)
