"""The kind registry: lookup by name, detection, and one error type for every failure."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.base import Connector, ParseError
from tests.samples import fixture_bytes


def test_every_kind_loads_and_names_itself() -> None:
    for kind in registry.KINDS:
        connector = registry.get(kind)
        assert isinstance(connector, Connector)
        assert connector.kind == kind


def test_unknown_kind_lists_the_known_ones() -> None:
    with pytest.raises(ParseError, match=r"unknown feed kind 'x'; known: cap, gdacs, jsonfeed"):
        registry.get("x")


@pytest.mark.parametrize(
    ("relative", "kind"),
    [
        ("rss/rss_2.0_nbcny.xml", "rss"),
        ("rss/atom_example_reddit.xml", "rss"),
        ("nhc/index-at.xml", "rss"),
        ("gdacs/gdacs-1.xml", "gdacs"),
        ("usgs/all_week.geojson", "usgs"),
        ("nws/sample.json", "nws"),
        ("nws/sample_alert.json", "nws"),
        ("cap/oasis/example2.xml", "cap"),
        ("cap/google-cap-library/weather_index.atom", "cap"),
        ("cap/meteoalarm/meteoalarm-legacy-atom-poland.xml", "cap"),
        ("cap/meteoalarm/croatia.json", "cap"),
        ("feedparser-corpus/json/example.json", "jsonfeed"),
    ],
)
def test_detect_kind(relative: str, kind: str) -> None:
    assert registry.detect_kind(fixture_bytes(relative)) == kind


@pytest.mark.parametrize("body", [b"", b"hello", b"{}", b"[1, 2]", b"\x00\x01\x02"])
def test_undetectable_bodies_raise_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        registry.parse(body)


def test_wrong_kind_is_a_parse_error_not_a_crash() -> None:
    with pytest.raises(ParseError):
        registry.parse(fixture_bytes("rss/rss_2.0_nbcny.xml"), kind="usgs")
    with pytest.raises(ParseError):
        registry.parse(fixture_bytes("usgs/all_week.geojson"), kind="gdacs")


def test_body_over_the_size_cap_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("connectors.xmlsafe.MAX_BYTES", 1000)
    with pytest.raises(ParseError, match="exceeds the 1,000-byte limit"):
        registry.parse(fixture_bytes("rss/rss_2.0_cloudflare.xml"))


def test_unexpected_parser_errors_become_parse_errors(monkeypatch: pytest.MonkeyPatch) -> None:
    def explode(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.setattr(type(registry.get("rss")), "parse", explode)
    with pytest.raises(ParseError, match="rss: cannot parse"):
        registry.parse(b"<rss/>", kind="rss")


def test_a_kind_that_cannot_be_imported_is_skipped_by_detection(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(registry, "KINDS", {"broken": "connectors.nothing_here:Nope",
                                            **registry.KINDS})  # fmt: skip
    with pytest.raises(ParseError, match="feed kind 'broken' cannot be loaded"):
        registry.get("broken")
    assert registry.detect_kind(fixture_bytes("gdacs/gdacs-1.xml")) == "gdacs"
