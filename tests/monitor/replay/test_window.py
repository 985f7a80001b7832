"""A replay's window without a broker: TIME arguments, offset ranges, retention, marking."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from monitor.errors import InvalidInput
from monitor.replay.service import marked
from monitor.replay.window import (
    PartitionRange,
    Window,
    describe_retention,
    parse_time,
    parse_window,
    ranges,
    retention_lines,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def test_a_time_is_iso_8601_or_a_span_back_from_now() -> None:
    assert parse_time("24h", field="since", now=NOW) == NOW - timedelta(hours=24)
    assert parse_time("7d", field="since", now=NOW) == NOW - timedelta(days=7)
    assert parse_time(" 2W ", field="since", now=NOW) == NOW - timedelta(weeks=2)
    assert parse_time("2026-03-01T06:30:00Z", field="since", now=NOW) == datetime(
        2026, 3, 1, 6, 30, tzinfo=UTC
    )
    assert parse_time("2026-03-01T07:30+01:00", field="since", now=NOW) == datetime(
        2026, 3, 1, 6, 30, tzinfo=UTC
    )
    assert parse_time("2026-03-01", field="since", now=NOW) == datetime(2026, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize("text", ["yesterday", "24", "-3d", "0h", "2026-13-01", "", "9" * 400])
def test_an_unreadable_time_names_its_option(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_time(text, field="until", now=NOW)
    assert caught.value.field == "until"
    assert len(str(caught.value)) < 200


def test_a_time_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput, match="in the future"):
        parse_time("2026-03-11T00:00Z", field="since", now=NOW)


def test_until_must_come_after_since() -> None:
    assert parse_window("7d", "1d", now=NOW) == Window(NOW - timedelta(days=7), NOW - timedelta(1))
    assert parse_window("7d", None, now=NOW) == Window(NOW - timedelta(days=7))
    for since, until in (("1d", "7d"), ("2026-03-01", "2026-03-01T00:00Z")):
        with pytest.raises(InvalidInput, match="not after --since") as caught:
            parse_window(since, until, now=NOW)
        assert caught.value.field == "until"


def test_ranges_run_from_the_offset_at_since_to_the_one_at_until() -> None:
    got = ranges(starts={0: 5, 1: 2}, ends={0: 9, 1: 2}, latest={0: 20, 1: 7})
    assert got == [PartitionRange(0, 5, 9), PartitionRange(1, 2, 2)]
    assert [r.count for r in got] == [4, 0]


def test_a_partition_with_nothing_that_late_is_empty_and_no_until_means_the_end() -> None:
    got = ranges(starts={0: None, 1: 3, 2: 0}, ends={}, latest={0: 12, 1: 8, 2: 0})
    assert got == [PartitionRange(0, 12, 12), PartitionRange(1, 3, 8), PartitionRange(2, 0, 0)]


def test_ranges_never_pass_the_end_offsets_taken_when_the_replay_began() -> None:
    # what the replay itself produces lands after `latest` and must not be read back
    got = ranges(starts={0: 30}, ends={0: None}, latest={0: 25})
    assert got == [PartitionRange(0, 25, 25)]


def test_retention_is_reported_and_a_since_older_than_the_topic_is_said_plainly() -> None:
    oldest = NOW - timedelta(days=3)
    inside = retention_lines(Window(NOW - timedelta(days=1)), oldest, 7 * 24 * 3_600_000)
    assert inside == ["oldest item the topic holds: 2026-03-07 12:00:00 UTC (retention 168h)"]
    before = retention_lines(Window(NOW - timedelta(days=5)), oldest, -1)
    assert "retention unlimited" in before[0]
    assert before[1].startswith("warning: --since 2026-03-05 12:00:00 UTC is older than")
    assert "cannot be replayed" in before[1]
    assert retention_lines(Window(NOW), None, None) == [
        "the topic holds no items (retention unknown): nothing to replay"
    ]
    assert describe_retention(90 * 60_000) == "1.5h"


def test_a_replayed_item_keeps_its_fields_and_carries_the_run() -> None:
    value = orjson.dumps({"id": "a1", "title": "Strike", "schema": 1})
    found = marked(value, "run1")
    assert found is not None and found[0] == "a1"
    assert orjson.loads(found[1]) == {"id": "a1", "title": "Strike", "schema": 1, "replay": "run1"}


@pytest.mark.parametrize("value", [b"not json", b"[1]", b'{"id": 3}', b'{"id": ""}', None])
def test_what_is_not_an_item_is_not_replayed(value: bytes | None) -> None:
    assert marked(value, "run1") is None
