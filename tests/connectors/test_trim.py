"""A huge or hostile RSS/Atom body is cut at an entry boundary before feedparser reads it."""

from __future__ import annotations

import io

import feedparser
import pytest

from connectors import registry, trim
from connectors.base import ParseError
from tests.samples import fixture_bytes

FIXTURES = ["nhc/gtwo.xml", "nhc/index-at.xml", "gdacs/gdacs-1.xml", "gdacs/gdacs-rss.xml"]


def _entries(body: bytes) -> list[str]:
    result = feedparser.parse(io.BytesIO(body))
    assert not result.bozo, result.get("bozo_exception")  # the cut body is still well-formed
    return [e.get("title", "") for e in result.entries]


@pytest.mark.parametrize("fixture", FIXTURES)
def test_entries_over_the_limit_are_cut_and_counted(fixture: str) -> None:
    body = fixture_bytes(fixture)
    titles = _entries(body)
    assert len(titles) >= 2
    cut, skipped = trim.trim(body, items=1)
    assert _entries(cut) == titles[:1]
    assert skipped == {"entries over the 1-entry limit": len(titles) - 1}


@pytest.mark.parametrize("fixture", FIXTURES)
def test_the_entry_that_crosses_the_element_budget_is_dropped(fixture: str) -> None:
    body = fixture_bytes(fixture)
    titles = _entries(body)
    # A budget that the whole body exceeds, found by halving: some entries fit, not all.
    budget = body.count(b"<")
    while True:
        cut, skipped = trim.trim(body, elements=budget)
        if len(_entries(cut)) < len(titles):
            break
        budget //= 2
    kept = _entries(cut)
    assert kept == titles[: len(kept)]
    assert sum(skipped.values()) >= len(titles) - len(kept)
    assert all("element limit" in why for why in skipped)


def test_a_deeply_nested_entry_is_dropped_and_the_rest_kept() -> None:
    body = fixture_bytes("rss/rss_2.0_cloudflare.xml").decode()
    deep = "<item><title>Deep</title><description>" + "<x>" * 200 + "</x>" * 200
    body = body.replace("<item>", deep + "</description></item><item>", 1).encode()
    items = registry.parse(body, kind="rss", url="t")
    assert items and items[0].title != "Deep"
    assert items.skipped == {"entries nested deeper than 64 elements": 1}


def test_a_malformed_body_gets_a_plain_cut_the_loose_parser_reads() -> None:
    body = b"<rss><channel>" + b"<item><title>t</title><b>&nbsp;</item>" * 50
    cut, skipped = trim.trim(body, items=10)
    assert cut.count(b"<item>") == 10
    assert sum(skipped.values()) == 40


def test_utf16_over_the_limits_is_refused() -> None:
    body = ("<rss><channel>" + "<item><title>t</title></item>" * 20 + "</channel></rss>").encode(
        "utf-16"
    )
    with pytest.raises(ParseError, match="UTF-16/32 feed with more than 10 tags"):
        trim.trim(body, elements=10)


def test_a_feed_within_the_limits_is_not_touched() -> None:
    body = fixture_bytes("rss/rss_2.0_cloudflare.xml")
    assert trim.trim(body) == (body, {})
