"""When a delivery is next tried: digest period ends, backoff with jitter, give-up."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from monitor.settings import Settings

RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


def first_attempt(digest_minutes: int, now: datetime) -> datetime:
    """Return when a new alert is first sent: now, or the end of the buyer's digest period."""
    if digest_minutes <= 0:
        return now
    # Periods are aligned to the epoch, so every alert of one period shares one due time
    # and one digest carries them all.
    period = digest_minutes * 60
    end = (int(now.timestamp()) // period + 1) * period
    return datetime.fromtimestamp(end, UTC)


def backoff(attempts: int, settings: Settings, retry_after: float | None = None) -> timedelta:
    """Return the wait after `attempts` failed tries: doubling, capped, half of it jittered."""
    ceiling = min(
        settings.delivery.backoff_max_s, settings.delivery.backoff_s * 2 ** (attempts - 1)
    )
    # "Equal jitter": never sooner than half the delay, so retries of many deliveries spread out
    # without ever hammering a receiver that has just failed.
    delay = ceiling / 2 + random.uniform(0, ceiling / 2)
    if retry_after is not None:  # the receiver asked for a pause (429/503); honour it, capped
        delay = max(delay, min(retry_after, settings.delivery.backoff_max_s))
    return timedelta(seconds=delay)


def too_old(due_since: datetime, now: datetime, settings: Settings) -> bool:
    """Return True when a delivery due since `due_since` has waited past the maximum age."""
    return (now - due_since).total_seconds() > settings.delivery.max_age_s
