"""CAP alerts (1.1 and 1.2), CAP indexes in Atom/RSS, and the MeteoAlarm JSON API."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.base import ParseError
from connectors.capinfo import pick_info
from tests.samples import fixture_bytes, parse_fixture

GOOGLE = "cap/google-cap-library"


def test_thunderstorm_polygon_centroid() -> None:
    [item] = parse_fixture("cap/oasis/example2.xml")
    assert item.title == "SEVERE THUNDERSTORM WARNING"
    assert (item.lat, item.lon) == (38.48401, -119.93462)
    assert item.language == "en-US"  # no <language>: CAP's default
    assert item.bbox == [-120.14, 38.34, -119.74, 38.62]
    assert item.severity_hint == "high" and item.event_hint == "storm"
    assert item.country_hint == ["US"]  # SAME geocodes
    assert item.published == "2003-06-17T21:57:00Z"
    assert item.extra["urgency"] == "Immediate" and item.extra["certainty"] == "Observed"


def test_earthquake_circle_centre() -> None:
    [item] = parse_fixture("cap/oasis/example3.xml")
    assert (item.lat, item.lon) == (32.9525, -115.5527)
    assert item.event_hint == "earthquake" and item.severity_hint == "low"  # Minor
    assert item.extra["msg_type"] == "Update"


def test_two_languages_prefer_english() -> None:
    [amber] = parse_fixture("cap/oasis/example4.xml")
    assert amber.language == "en-US" and amber.title == "Amber Alert in Los Angeles County"
    assert amber.extra["languages"] == ["en-US", "es-US"]
    [canada] = parse_fixture(f"{GOOGLE}/canada.cap")
    assert canada.language == "en-CA" and canada.country_hint == ["CA"]
    assert pick_info([{"language": "fr-CA"}, {"language": "de"}]) == {"language": "fr-CA"}


def test_iso_8859_1_cap() -> None:
    [item] = parse_fixture(f"{GOOGLE}/earthquake-iso8859-1.cap")
    assert item.title == "EQ 4.6 Usulután, Usulután, El Salvador - PRELIMINARY REPORT"
    assert (item.lat, item.lon) == (12.747, -88.783)
    assert item.severity_hint is None  # CAP "Unknown"


def test_tsunami_warning_is_critical_and_other() -> None:
    [item] = parse_fixture(f"{GOOGLE}/wcatwc-warning.cap")
    assert item.severity_hint == "critical"  # Extreme
    assert item.event_hint == "other"  # see connectors.hazards: tsunami is not a river flood
    assert item.country_hint == ["US"]


def test_cap_11_flood_with_empty_fields() -> None:
    [item] = parse_fixture(f"{GOOGLE}/noaa_errors.cap")
    assert item.event_hint == "flood" and item.severity_hint is None
    assert item.lat is not None and item.bbox is not None


def test_australian_prefixed_elements_and_iso_subdivision() -> None:
    [item] = parse_fixture(f"{GOOGLE}/australia.cap")
    assert item.country_hint == ["AU"]
    assert item.event_hint == "wildfire" and item.severity_hint == "low"
    assert "<br" not in item.body and "LOCATION: 12 Cox Street" in item.body


def test_nws_cap_atom_index() -> None:
    items = parse_fixture(f"{GOOGLE}/weather_index.atom")
    assert [i.title.split(" issued")[0] for i in items] == ["Air Quality Alert"] * 2
    assert items[0].country_hint == ["US"]
    assert items[0].extra["expires"] == "2010-09-01T03:15:00Z"
    assert items[0].event_hint == "other"  # from the title: no cap:event in this index
    assert parse_fixture(f"{GOOGLE}/empty_weather_index.atom") == []


def test_atom_with_embedded_alert() -> None:
    [item] = parse_fixture(f"{GOOGLE}/amber.atom")
    assert item.extra["event"] == "Child Abduction" and item.severity_hint == "high"


def test_meteoalarm_legacy_atom() -> None:
    items = parse_fixture("cap/meteoalarm/meteoalarm-legacy-atom-poland.xml")
    assert len(items) == 2
    first = items[0]
    assert first.title == "Yellow Wind Warning issued for Poland - Eastern coastal zone"
    assert first.country_hint == ["PL"]
    assert first.severity_hint == "medium" and first.event_hint == "storm"
    assert first.extra["geocodes"] == {"EMMA_ID": ["PL805"]}
    assert first.url and first.url.startswith("https://feeds.meteoalarm.org/api/v1/warnings/")
    germany = parse_fixture("cap/meteoalarm/meteoalarm-legacy-atom-germany.xml")
    assert len(germany) == 381 and {i.country_hint[0] for i in germany} == {"DE"}


def test_meteoalarm_json_prefers_english() -> None:
    items = parse_fixture("cap/meteoalarm/croatia.json")
    assert len(items) == 63
    first = items[0]
    assert first.kind == "cap"
    assert first.title == "Yellow wind warning: Gospic region"
    assert first.language == "en-GB" and first.country_hint == ["HR"]
    assert first.severity_hint == "medium" and first.event_hint == "storm"
    assert {i.severity_hint for i in items} == {"medium", "high", "critical"}
    bosnia = parse_fixture("cap/meteoalarm/bosnia-herzegovina.json")
    assert len(bosnia) == 22 and bosnia[0].country_hint == ["BA"]


def test_invalid_and_minimal_alerts_still_parse() -> None:
    [minimal] = parse_fixture(f"{GOOGLE}/no_optional_fields.cap")
    assert minimal.title == "CAP alert" and minimal.published == "2010-08-31T05:09:25Z"
    [invalid] = parse_fixture(f"{GOOGLE}/invalid.cap")
    assert invalid.title == "Storm: New York"


@pytest.mark.parametrize(
    "body",
    [
        b'<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><info>',
        b'<other xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>',
        b'{"warnings": {}}',
    ],
)
def test_malformed_cap_is_a_parse_error(body: bytes) -> None:
    with pytest.raises(ParseError):
        registry.parse(body, kind="cap")


def test_ids_stable_across_polls() -> None:
    body = fixture_bytes("cap/meteoalarm/bosnia-herzegovina.json")
    assert [i.id for i in registry.parse(body, feed_id=3)] == [
        i.id for i in registry.parse(body, feed_id=3)
    ]
