"""Typed records: plain JSON with a schema version; anything else is a one-line DecodeError."""

from __future__ import annotations

import json

import pytest

from streams.records import DecodeError, DisruptionRecord, ItemRecord, decode, encode
from streams.stage import letter


def test_round_trip_is_plain_json_with_a_schema() -> None:
    value = encode(DisruptionRecord(id="x", countries=["BE"]))
    data = json.loads(value)
    assert data["schema"] == 1 and "__faust" not in data
    assert decode(value, DisruptionRecord).countries == ["BE"]
    assert decode(b'{"id": "a", "lat": 3, "unknown": 1}', ItemRecord).lat == 3


@pytest.mark.parametrize(
    ("raw", "why"),
    [(b"{oops", "not JSON"), (b"\xff", "not JSON"), (b"[1]", "not a JSON object"),
     (b'{"title": "t"}', "lacks id"), (b'{"id": true}', "wrong type"),
     (b'{"id": "a", "lat": "north"}', "wrong type"), (b'{"id": "a", "schema": 2}', "schema"),
     (b'{"id": "a", "lat": NaN}', "not JSON"), (b'{"id": "a", "lat": -Infinity}', "not JSON"),
     (b'{"id": "a", "x": ' + b"[" * 5000 + b"]" * 5000 + b"}", "not JSON")],
)  # fmt: skip
def test_bad_values_raise_one_line(raw: bytes, why: str) -> None:
    with pytest.raises(DecodeError, match=why):
        decode(raw, ItemRecord)


def test_letter_keeps_the_payload_as_text() -> None:
    dead = letter("tag", "boom", payload=b"\xffraw")
    assert dead.payload == "\ufffdraw" and dead.stage == "tag" and dead.topic is None
    assert letter("tag", "boom", payload={"a": 1}).payload == "{'a': 1}"
