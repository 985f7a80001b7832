"""Which items may be produced, and how they are serialised."""

from __future__ import annotations

import json

from connectors.base import Item
from connectors.producer import encode, problem


def make(**kw: object) -> Item:
    base: dict[str, object] = {
        "id": "a" * 64,
        "feed_id": 1,
        "kind": "rss",
        "title": "t",
        "body": "",
    }
    return Item(**{**base, **kw})  # type: ignore[arg-type]


def test_problem_names_what_is_wrong() -> None:
    assert problem(make()) is None
    assert "id" in (problem(make(id="")) or "")
    assert "id" in (problem(make(id="a" * 65)) or "")
    assert "neither title nor body" in (problem(make(title=" ", body="")) or "")
    assert "lat" in (problem(make(lat=float("nan"))) or "")


def test_encode_is_strict_utf8_json() -> None:
    value = make(title="Žuto upozorenje").to_dict()
    assert json.loads(encode(value).decode()) == value
    assert "Žuto".encode() in encode(value)
