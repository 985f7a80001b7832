"""JSON Feed 1.x."""

from __future__ import annotations

import json

import pytest

from connectors import registry
from connectors.base import ParseError
from tests.samples import parse_fixture


def test_corpus_example() -> None:
    items = parse_fixture("feedparser-corpus/json/example.json")
    assert [i.title for i in items] == ["post 2", ""]
    assert items[0].categories == ["test", "JSON"]
    assert items[1].body == "Hello, world!"  # the <script> is dropped
    assert items[1].url == "https://example.org/initial-post"


def test_dates_and_language() -> None:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "language": "en_GB",
        "items": [{"id": "a", "content_text": "Strike at Felixstowe",
                   "date_published": "2024-03-01T08:00:00+01:00"}, "junk"],
    }  # fmt: skip
    [item] = registry.parse(json.dumps(feed).encode())
    assert item.kind == "jsonfeed"
    assert item.published == "2024-03-01T07:00:00Z"
    assert item.language == "en-GB"


def test_items_must_be_a_list() -> None:
    body = b'{"version": "https://jsonfeed.org/version/1", "items": {}}'
    with pytest.raises(ParseError, match="no 'items' list"):
        registry.parse(body)
