"""A watch on a state (ISO 3166-2) is matched by news that names the state, or a city or port
in it: the tagger's places carry their subdivision."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.matching import WatchIndex, WatchSpec
from monitor.tagger.tag import tag_items
from streams.records import ItemRecord
from tests.monitor.matching.staged import staged_incident


def tagged_incident(title: str, body: str) -> dict[str, Any]:
    """Return the incident one item makes, tagged and clustered as the pipeline's stages do."""
    item = {"id": "x", "title": title, "body": body, "feed_id": 1, "url": "https://example.org/x"}
    return staged_incident(ItemRecord.from_data(item))


def watching(*subdivisions: str) -> WatchIndex:
    index = WatchIndex()
    for n, code in enumerate(subdivisions, start=1):
        index.put(WatchSpec(key=f"w{n}", buyer_id=n, name=code, watch_id=n,
                            subdivisions=frozenset({code})))  # fmt: skip
    return index


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Floods halt refineries across Texas", "Operations stopped on Monday."),
        ("Port Houston terminals closed by storm", "Container handling stopped."),
        ("Flooding shuts plants in Beaumont", "Refineries halted output."),
    ],
)
def test_a_state_watch_is_hit_by_news_that_names_the_state_or_a_place_in_it(
    title: str, body: str
) -> None:
    index = watching("US-TX", "US-CA")
    hits = index.match(tagged_incident(title, body))
    assert [(m.spec.name, m.places) for m in hits] == [("US-TX", ("subdivision US-TX",))]


def test_places_name_their_subdivision_or_none() -> None:
    [out] = tag_items([{"id": "x", "title": "Strike shuts Port of Savannah and Antwerp",
                        "body": "Dockworkers walked out."}])  # fmt: skip
    subdivisions = {p["name"]: p["subdivision"] for p in out["places"]}
    assert subdivisions == {"Savannah": "US-GA", "Antwerp": None}
