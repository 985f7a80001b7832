"""Hostile JSON: non-finite numbers, deep nesting, huge integers and line breaks in strings."""

from __future__ import annotations

import json

import pytest

from monitor import strictjson


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("NaN", "NaN is not a JSON number"),
        ('{"a": -Infinity}', "-Infinity is not a JSON number"),
        ("[1e999]", "number 1e999 is too large"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ("[" * 70 + "]" * 70, "nested more than 64 levels deep"),
        ("9" * 5000, "Exceeds the limit (4300 digits)"),
        (b'{"a": "\xff"}', "not UTF-8/16/32 text"),
        ('{"a": 1', "Expecting"),
    ],
)
def test_loads_refuses_what_is_not_usable_json(text: str | bytes, why: str) -> None:
    with pytest.raises(strictjson.JsonError) as caught:
        strictjson.loads(text)
    assert why in str(caught.value) and "\n" not in str(caught.value)


def test_loads_reads_non_finite_as_null_when_asked() -> None:
    assert strictjson.loads("[NaN, Infinity, 1e999, 2.5]", non_finite="null") == [
        None,
        None,
        None,
        2.5,
    ]


def test_dumps_keeps_one_record_on_one_line() -> None:
    value = {"id": "a\x85b", "title": "x\u2028y\u2029z\n"}
    line = strictjson.dumps(value)
    assert len(line.splitlines()) == 1 and json.loads(line) == value
    with pytest.raises(ValueError):
        strictjson.dumps({"lat": float("nan")})
