"""api.weather.gov alerts read as CAP."""

from __future__ import annotations

import json

from connectors import registry
from tests.samples import parse_fixture


def test_high_wind_warning() -> None:
    [item] = parse_fixture("nws/sample.json")
    assert item.kind == "nws"
    assert item.title.startswith("High Wind Warning issued December 21")
    assert item.severity_hint == "high"  # CAP Severe
    assert item.event_hint == "storm"
    assert item.country_hint == ["US"]
    assert item.published == "2015-12-21T21:49:00Z"
    assert item.lat is None  # geometry is null: the area is given by zone codes only
    assert item.extra["geocodes"]["UGC"] == ["COZ035", "COZ036"]
    assert item.extra["urgency"] == "Expected" and item.extra["certainty"] == "Likely"
    assert item.extra["expires"] == "2015-12-22T13:00:00Z"
    assert "MOTORISTS TRAVELING IN HIGH PROFILE" in item.body


def test_single_feature_without_severity_or_dates() -> None:
    [item] = parse_fixture("nws/sample_alert.json")
    assert item.title == "Test Tornado Warning issued for Test County"
    assert item.severity_hint is None and item.published is None
    assert item.event_hint == "storm"
    assert item.url == "https://api.weather.gov/alerts/test123"


def test_polygon_geometry_gives_a_centroid() -> None:
    ring = [[-100.0, 40.0], [-98.0, 40.0], [-98.0, 42.0], [-100.0, 42.0], [-100.0, 40.0]]
    feature = {
        "id": "https://api.weather.gov/alerts/urn:oid:2.49.0.1.840.0.x",
        "type": "Feature",
        "geometry": {"type": "Polygon", "coordinates": [ring]},
        "properties": {"id": "urn:oid:2.49.0.1.840.0.x", "event": "Flood Warning",
                       "severity": "Extreme", "sent": "2024-05-01T10:00:00-05:00"},
    }  # fmt: skip
    body = json.dumps({"type": "FeatureCollection", "features": [feature]}).encode()
    [item] = registry.parse(body)
    assert (item.kind, item.event_hint, item.severity_hint) == ("nws", "flood", "critical")
    assert (item.lat, item.lon) == (41.0, -99.0)
    assert item.bbox == [-100.0, 40.0, -98.0, 42.0]
    assert item.published == "2024-05-01T15:00:00Z"
