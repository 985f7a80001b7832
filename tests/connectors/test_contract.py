"""Every item of every fixture keeps the shared vocabularies and the Item contract."""

from __future__ import annotations

import json
import re

import pytest

from connectors import registry
from connectors.base import RAW_LIMIT, ParseError
from monitor.vocab import EVENT_TYPES, SEVERITIES
from tests.samples import FIXTURES

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
HAZARD_DIRS = ("gdacs", "usgs", "cap", "nws", "nhc", "rss")


@pytest.mark.parametrize("folder", HAZARD_DIRS)
def test_items_keep_the_contract(folder: str) -> None:
    checked = 0
    for path in sorted(p for p in (FIXTURES / folder).rglob("*") if p.is_file()):
        try:
            items = registry.parse(path.read_bytes(), url=path.name)
        except ParseError:
            assert path.name in {"xee.cap", "xee.atom"}
            continue
        for item in items:
            checked += 1
            assert item.severity_hint in (None, *SEVERITIES)
            assert item.event_hint in (None, *EVENT_TYPES)
            assert all(re.fullmatch(r"[A-Z]{2}", c) for c in item.country_hint)
            assert item.published is None or ISO_UTC.match(item.published)
            assert len(item.raw) <= RAW_LIMIT
            assert item.lat is None or -90 <= item.lat <= 90
            assert item.lon is None or -180 <= item.lon <= 180
            assert len(item.id) == 64 and item.title == item.title.strip()
            json.dumps(item.to_dict())
    assert checked > 0
