"""When to poll a feed next: its interval (adapted to how often it publishes), the server's
wishes, and backoff after failures."""

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


SMOOTHING = 0.3  # weight of the newest observed gap in the running estimate


def publish_gap(
    previous: float | None, *, last_new_at: datetime | None, now: datetime, new_items: int
) -> float | None:
    """Return the smoothed seconds between new items, after `new_items` arrived at `now`.

    The first items a feed brings are its backlog and say nothing of its pace, so the estimate
    starts at the second poll that finds new items: the time since the last such poll, shared
    among the items found.
    """
    if last_new_at is None or new_items <= 0:
        return previous
    gap = max(0.0, (now - last_new_at).total_seconds()) / new_items
    return gap if previous is None else previous + SMOOTHING * (gap - previous)


def adaptive_interval(
    interval_s: int,
    *,
    publish_gap_s: float | None,
    last_new_at: datetime | None,
    now: datetime,
    min_s: int,
    max_s: int,
) -> int:
    """Return the seconds between polls for a feed that publishes every `publish_gap_s`.

    Polled at half its pace, so a new item waits half a gap on average; a silence longer than
    the estimate counts as the gap, so a feed gone quiet is polled less often. Never more often
    than `min_s` (or the interval, if set shorter), never less often than `max_s` or the
    interval, whichever is longer. Without an estimate yet, the interval as set.
    """
    if publish_gap_s is None:
        return interval_s
    silence = (now - last_new_at).total_seconds() if last_new_at else 0.0
    wanted = max(publish_gap_s, silence) / 2
    return round(min(max(wanted, min(min_s, interval_s)), max(interval_s, max_s)))
