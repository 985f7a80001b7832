"""RSS and Atom through feedparser: real news and NHC snapshots, odd dates, encodings, GeoRSS."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.base import RAW_LIMIT, ParseError
from tests.samples import fixture_bytes, parse_fixture


def test_rss2_item_is_normalised() -> None:
    [item] = parse_fixture("rss/rss_2.0_nbcny.xml")
    assert item.kind == "rss"
    assert item.title.startswith("NYC cops search for stabbing suspect")
    assert item.body.startswith("A young man was left for dead on a Manhattan sidewalk")
    assert "<" not in item.body
    assert item.published == "2023-12-16T02:02:33Z"
    assert item.language == "en-US"
    assert item.url and item.url.startswith("https://www.nbcnewyork.com/news/local/")
    assert len(item.raw) <= RAW_LIMIT


def test_atom_entry_with_html_content() -> None:
    [item] = parse_fixture("rss/atom_example_reddit.xml")
    assert item.published == "2020-05-18T05:44:47Z"
    assert item.categories == ["rust"]
    assert "Borrow checker" in item.body and "<p>" not in item.body


def test_large_html_body_is_plain_text() -> None:
    [item] = parse_fixture("rss/rss_2.0_cloudflare.xml")
    assert len(item.body) > 10_000
    assert "<" not in item.body and "&amp;" not in item.body
    assert item.categories == ["Research", "Security", "Product News"]


def test_double_escaped_entities_decode_once() -> None:
    [item] = parse_fixture("rss/rss_2.0_ilgiornale.xml")
    assert item.published == "2022-11-15T20:15:04Z"
    assert "<figure" not in item.body and "È stato arrestato in Pakistan" in item.body


@pytest.mark.parametrize(
    ("relative", "title_start", "published"),
    [
        ("rss/rss_2.0_encoding_1.xml", "Revolução nas telas", "2020-08-13T09:57:55Z"),
        ("rss/rss_1.0_iso8859.xml", "Digitalministerium: Neue Glasfaserförderung", None),
        ("rss/rss_0.91_encoding_2.xml", "13/08/2020 21:27 - Comitê completa 150 dias", None),
    ],
)
def test_iso_8859_1_feeds_decode(relative: str, title_start: str, published: str | None) -> None:
    [item] = parse_fixture(relative)
    assert item.title.startswith(title_start)
    if published:
        assert item.published == published


def test_rss_091_without_dates_has_no_published() -> None:
    [item] = parse_fixture("rss/rss_0.91_encoding_2.xml")
    assert item.published is None  # the date only appears in the title text
    assert item.language == "pt-BR"


def test_rdf_date_only_and_offset_dates() -> None:
    [debian] = parse_fixture("rss/rss_1.0_debian.xml")
    assert debian.published == "2022-12-17T00:00:00Z"
    [golem] = parse_fixture("rss/rss_1.0_iso8859.xml")
    assert golem.published == "2023-01-25T18:03:02Z"  # dc:date with +01:00


def test_localised_italian_dates() -> None:
    # "mer, 16 nov 2022 00:38:15 +0100": the weekday is Italian, the month happens to parse.
    [item] = parse_fixture("rss/rss_2.0_ilmessaggero.xml")
    assert item.published == "2022-11-15T23:38:15Z"
    assert item.language == "it-IT"
    body = fixture_bytes("rss/rss_2.0_ilmessaggero.xml")
    unparsable = body.replace(b"mer, 16 nov 2022 00:38:15 +0100", b"mercoled\xc3\xac 16 dicembre")
    assert unparsable != body
    [item] = registry.parse(unparsable, kind="rss")
    assert item.published is None
    assert item.title.startswith("Missili Polonia")


def test_nhc_outlooks_are_rss_items() -> None:
    items = parse_fixture("nhc/index-at.xml")
    assert [i.title for i in items] == [
        "Atlantic Tropical Weather Outlook",
        "There are no tropical cyclones at this time.",
    ]
    assert "Tropical Weather Outlook" in items[0].body and "<br" not in items[0].body
    assert len(parse_fixture("nhc/gtwo.xml")) == 3


def test_ids_are_stable_and_scoped() -> None:
    body = fixture_bytes("nhc/gtwo.xml")
    first = [i.id for i in registry.parse(body, feed_id=7)]
    assert first == [i.id for i in registry.parse(body, feed_id=7)]
    assert len(set(first)) == 3
    assert set(first).isdisjoint(i.id for i in registry.parse(body, feed_id=8))


def test_georss_point() -> None:
    body = b"""<?xml version="1.0"?>
<rss version="2.0" xmlns:georss="http://www.georss.org/georss"><channel><title>t</title>
<item><title>Port closed</title><guid>p1</guid><georss:point>51.22 4.40</georss:point></item>
</channel></rss>"""
    [item] = registry.parse(body)
    assert (item.lat, item.lon) == (51.22, 4.4)


def test_empty_feed_gives_no_items() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Empty</title></channel></rss>'
    assert registry.parse(body) == []


@pytest.mark.parametrize(
    "body",
    [
        b"<html><body><p>Not a feed</p></body></html>",
        b"<?xml version='1.0'?><notafeed><x>1</x></notafeed>",
        b"   ",
    ],
)
def test_non_feeds_and_malformed_xml_raise_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        registry.parse(body, kind="rss")


def test_truncated_rss_is_recovered_by_the_loose_parser() -> None:
    # feedparser falls back to its forgiving parser; what it recovers is still a valid item.
    body = b"<?xml version='1.0'?><rss version='2.0'><channel><item><title>cut short</title><desc"
    [item] = registry.parse(body, kind="rss")
    assert item.title == "cut short"
