"""An NWS alert that gives counties, not a polygon, hits the sites inside those counties and
watches on its state, through the pipeline's own stage code (tag, then cluster)."""

from __future__ import annotations

from typing import Any

from monitor.matching import WatchIndex, WatchSpec
from monitor.matching.watches import SiteSpec
from streams.records import ItemRecord
from tests.monitor.matching.staged import staged_incident
from tests.samples import parse_fixture


def incident_of(relative: str) -> dict[str, Any]:
    [item] = parse_fixture(relative, "nws")
    return staged_incident(ItemRecord.from_data({**item.to_dict(), "feed_id": 1}))


def test_a_colorado_wind_warning_hits_boulder_and_colorado_not_houston_or_texas() -> None:
    specs = [
        WatchSpec(key="boulder", buyer_id=1, name="plant in Boulder", watch_id=1,
                  sites=(SiteSpec(40.015, -105.27, 5.0, "Boulder"),)),
        WatchSpec(key="denver", buyer_id=2, name="plant in Denver", watch_id=2,
                  sites=(SiteSpec(39.70, -104.90, 5.0, "Denver"),)),
        WatchSpec(key="houston", buyer_id=3, name="plant in Houston", watch_id=3,
                  sites=(SiteSpec(29.76, -95.37, 50.0, "Houston"),)),
        WatchSpec(key="colorado", buyer_id=4, name="Colorado", watch_id=4,
                  subdivisions=frozenset({"US-CO"})),
        WatchSpec(key="texas", buyer_id=5, name="Texas", watch_id=5,
                  subdivisions=frozenset({"US-TX"})),
    ]  # fmt: skip
    index = WatchIndex()
    for spec in specs:
        index.put(spec)
    incident = incident_of("nws/sample.json")
    hits = {m.spec.key: m.places for m in index.match(incident)}
    assert hits == {"boulder": ("site Boulder: inside the hazard area",),
                    "colorado": ("subdivision US-CO",)}  # fmt: skip
