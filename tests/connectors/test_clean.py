"""What leaves a connector is safe: http(s) links only, plain text everywhere, finite numbers."""

from __future__ import annotations

import json
import math

import pytest

from connectors import registry
from connectors.base import Item, build_items
from connectors.clean import clean_value, safe_url
from connectors.text import plain_text
from tests.samples import fixture_bytes

HOSTILE_LINKS = [
    "javascript:alert(document.cookie)",
    "  JaVaScRiPt:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example.org/feed",
    "//evil.example/scheme-relative",
    "https://exa mple.org/space",
    "https://example.org:99999/bad-port",
    "relative/path.html",
]
HOSTILE_TEXT = [
    "<script>alert(1)</script>Port strike",
    "&lt;img src=x onerror=alert(1)&gt;Port strike",
    "&amp;lt;b&amp;gt;Port strike&amp;lt;/b&amp;gt;",
    "<b onmouseover='x()'>Port</b> strike",
    "Port\x1b strike\x07\u202e",
]


def _rss(link: str, category: str, title: str = "Port strike") -> bytes:
    """The real Cloudflare feed with its first item's link, category and title replaced."""
    body = fixture_bytes("rss/rss_2.0_cloudflare.xml").decode()
    body = body.replace(
        "https://blog.cloudflare.com/privacy-preserving-compromised-credential-checking/",
        link.replace("&", "&amp;").replace("<", "&lt;"),
        1,
    )
    body = body.replace("<![CDATA[Research]]>", f"<![CDATA[{category}]]>", 1)
    body = body.replace(
        "<![CDATA[Privacy-Preserving Compromised Credential Checking]]>",
        f"<![CDATA[{title}]]>",
        1,
    )
    return body.encode()


def _markup_free(text: str) -> bool:
    return "<" not in text and ">" not in text and all(c.isprintable() for c in text)


@pytest.mark.parametrize("link", HOSTILE_LINKS)
def test_a_link_that_is_not_http_is_dropped_and_counted(link: str) -> None:
    items = registry.parse(_rss(link, "Research"), kind="rss", url="test")
    first = items[0]
    assert first.url is None
    assert first.title == "Port strike"  # the item itself is kept
    assert items.skipped == {"links that are not http(s) (dropped, item kept)": 1}
    assert all(item.url is None or item.url.startswith("https://") for item in items)


@pytest.mark.parametrize("link", ["https://example.org/a?b=1&c=2", "HTTP://Example.org/x"])
def test_http_links_are_kept(link: str) -> None:
    items = registry.parse(_rss(link, "Research"), kind="rss", url="test")
    assert items[0].url == link
    assert not items.skipped


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_every_text_field_is_plain_text(text: str) -> None:
    items = registry.parse(_rss("https://example.org/", text, title=text), kind="rss", url="t")
    first = items[0]
    assert first.title == "Port strike"
    assert first.categories[0] == "Port strike"
    for item in items:
        fields = [item.title, item.body, *item.categories, *map(str, item.extra.values())]
        assert all(_markup_free(f) for f in fields), fields


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_json_kinds_get_plain_text_too(text: str) -> None:
    feed = json.loads(fixture_bytes("feedparser-corpus/json/example.json"))
    entry = feed["items"][0]
    entry.update(title=text, tags=[text, "<i></i>"], url="javascript:alert(1)")
    items = registry.parse(json.dumps(feed).encode(), kind="jsonfeed", url="t")
    assert items[0].title == "Port strike"
    assert items[0].categories == ["Port strike"]  # the empty label is dropped
    assert items[0].url is None and sum(items.skipped.values()) == 1


def test_usgs_feature_with_malformed_coordinates_is_skipped_and_counted() -> None:
    data = json.loads(fixture_bytes("usgs/all_week.geojson"))
    total = len(data["features"])
    data["features"][0]["geometry"]["coordinates"] = {"lon": 1, "lat": 2}
    data["features"][1]["properties"] = "not an object"
    data["features"].insert(2, 42)
    items = registry.parse(json.dumps(data).encode(), kind="usgs", url="t")
    assert len(items) == total - 2
    assert items.skipped == {"malformed entries": 3}
    assert items.note() == "skipped 3 malformed entries"


def test_non_finite_numbers_in_a_feed_read_as_missing() -> None:
    body = fixture_bytes("usgs/earthquakes-1.json")
    body = body.replace(b'"mag": 3,', b'"mag": NaN,', 1).replace(b"149.1234", b"1e999", 1)
    items = registry.parse(body, kind="usgs", url="t")
    assert "mag" not in items[0].extra and items[0].lat is None
    for item in items:
        json.dumps(item.to_dict(), allow_nan=False)  # strict JSON, no NaN/Infinity


def test_extra_values_are_cleaned_and_bounded() -> None:
    deep: object = "x"
    for _ in range(10):
        deep = [deep]
    value = {"a": float("inf"), "b": "<b>bold</b>", "c": deep, "d": [1.5, math.nan], "e": (1,)}
    assert clean_value(value, 3) == {"b": "bold", "c": [[]], "d": [1.5], "e": [1]}


def test_build_items_stops_at_the_item_and_time_limits() -> None:
    def build(n: int) -> Item:
        return Item(id=str(n), feed_id=None, kind="t", title=f"t{n}", body="")

    capped = build_items(range(10), build, limit=3)
    assert len(capped) == 3 and capped.skipped == {"entries over the 3-item limit": 7}
    timed = build_items(iter(range(10)), build, seconds=-1)
    assert len(timed) == 0
    assert timed.skipped == {"entries or more left unread at the -1s time limit": 1}


def test_safe_url_and_plain_text_accept_only_what_they_should() -> None:
    assert safe_url(None) is None and safe_url(42) is None
    assert safe_url("https://example.org/") == "https://example.org/"
    assert plain_text(None) == "" and plain_text(["x"]) == ""
    assert plain_text("a" * 50, 10) == "a" * 9 + "…"
