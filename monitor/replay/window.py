"""A replay's window: its TIME arguments, each partition's offsets in it, and what Kafka holds.

Kafka answers "the first offset at or after time T" per partition (offsets-for-times); a
partition with no message at or after T has none. This module turns those answers into offset
ranges and says how the window compares with the oldest message the topic still holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from monitor.errors import InvalidInput
from monitor.matching.backtest import SINCE, parse_since


@dataclass(frozen=True)
class Window:
    """The times a replay covers: [since, until), until None meaning "up to now"."""

    since: datetime
    until: datetime | None = None


@dataclass(frozen=True)
class PartitionRange:
    """One partition's offsets to replay: [start, end)."""

    partition: int
    start: int
    end: int

    @property
    def count(self) -> int:
        """Return how many offsets the range spans."""
        return self.end - self.start


def parse_time(text: str, *, field: str, now: datetime) -> datetime:
    """Return ISO 8601 or a span back from now (24h, 7d, 2w) as an aware UTC time."""
    value = text.strip()
    if SINCE.fullmatch(value.lower()):
        try:
            return now - parse_since(value)
        except InvalidInput as exc:
            raise InvalidInput(field, str(exc)) from None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            field, f"not an ISO 8601 time or a span like 24h, 7d or 2w: {value[:40]!r}"
        ) from None
    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    if at > now:
        raise InvalidInput(field, f"{at:%Y-%m-%d %H:%M:%S} UTC is in the future")
    return at


def parse_window(since: str, until: str | None, *, now: datetime | None = None) -> Window:
    """Return the window of `--since` and `--until`; InvalidInput when it is empty or unreadable."""
    now = now or datetime.now(UTC)
    start = parse_time(since, field="since", now=now)
    end = parse_time(until, field="until", now=now) if until is not None else None
    if end is not None and end <= start:
        raise InvalidInput(
            "until", f"--until ({end:%Y-%m-%d %H:%M:%S}) is not after --since "
            f"({start:%Y-%m-%d %H:%M:%S})",
        )  # fmt: skip
    return Window(start, end)


def ranges(
    starts: Mapping[int, int | None],
    ends: Mapping[int, int | None],
    latest: Mapping[int, int],
) -> list[PartitionRange]:
    """Return each partition's range from its offsets at since and until, capped at `latest`.

    `starts` and `ends` are Kafka's first offsets at or after each time (None: no message
    that late); `latest` is each partition's end offset when the replay began, so what the
    replay itself produces is never read back.
    """
    out = []
    for partition in sorted(latest):
        end = ends.get(partition)
        end = latest[partition] if end is None else min(end, latest[partition])
        start = starts.get(partition)
        start = end if start is None else min(start, end)
        out.append(PartitionRange(partition, start, end))
    return out


def to_ms(at: datetime) -> int:
    """Return a time as Kafka's milliseconds since the epoch."""
    return int(at.timestamp() * 1000)


def from_ms(ms: int) -> datetime:
    """Return Kafka's milliseconds since the epoch as an aware UTC time."""
    return datetime.fromtimestamp(ms / 1000, UTC)


def describe_retention(retention_ms: int | None) -> str:
    """Return the topic's `retention.ms` in words (None: the broker did not say)."""
    if retention_ms is None:
        return "unknown"
    if retention_ms < 0:
        return "unlimited"
    return f"{timedelta(milliseconds=retention_ms) / timedelta(hours=1):g}h"


def retention_lines(window: Window, oldest: datetime | None, retention_ms: int | None) -> list[str]:
    """Return what the topic holds against the window, for the operator to read first."""
    kept = describe_retention(retention_ms)
    if oldest is None:
        return [f"the topic holds no items (retention {kept}): nothing to replay"]
    lines = [f"oldest item the topic holds: {oldest:%Y-%m-%d %H:%M:%S} UTC (retention {kept})"]
    if window.since < oldest:
        lines.append(
            f"warning: --since {window.since:%Y-%m-%d %H:%M:%S} UTC is older than the oldest "
            f"item the topic holds; items before {oldest:%Y-%m-%d %H:%M:%S} UTC are gone and "
            "cannot be replayed"
        )
    return lines
