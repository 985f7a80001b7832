"""The tag stage's rules without a broker: which items are tagged, and what is forwarded."""

from __future__ import annotations

from typing import Any

from streams.records import DisruptionRecord, ItemRecord
from streams.tag import Tagged, first_sightings, tagged

ITEM = ItemRecord(id="strike", feed_id=3, kind="rss", title="Dockworkers strike in Antwerp",
                  body="Cocoa shipments were halted.", url="https://example.org/strike",
                  published="2024-05-06T08:00:00+00:00", language="en")  # fmt: skip


def result(**fields: Any) -> dict[str, Any]:
    """Return a tagger result (monitor.tagger.tag's shape): a strike at Antwerp by default."""
    antwerp = {"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR",
               "lat": 51.2, "lon": 4.4}  # fmt: skip
    return {"id": "strike", "is_disruption": True, "recovery": False, "event_type": "strike",
            "countries": ["BE"], "places": [antwerp], "materials": [{"name": "cocoa"}],
            "severity": "high", "confidence": 0.9, "evidence": [], **fields}  # fmt: skip


def test_an_id_is_tagged_once_per_batch_and_not_when_seen_recently() -> None:
    a, b, c = ItemRecord(id="a"), ItemRecord(id="b"), ItemRecord(id="c")
    batch = [(1, a), (2, a), (3, b), (4, c), (5, b)]
    fresh, repeats = first_sightings(batch, seen=lambda item_id: item_id == "c")
    assert fresh == [(1, a), (3, b)]  # the first of each, with where it came from
    assert repeats == 3


def test_a_disruption_is_forwarded_with_the_item_fields_downstream_uses() -> None:
    out = tagged(ITEM, result())
    assert out.error is None and isinstance(out.forward, DisruptionRecord)
    sent = out.forward
    assert (sent.id, sent.event_type, sent.severity, sent.recovery) == (
        "strike", "strike", "high", False
    )  # fmt: skip
    assert sent.countries == ["BE"] and sent.places and sent.places[0]["locode"] == "BEANR"
    assert (sent.title, sent.url, sent.published, sent.kind, sent.feed_id, sent.language) == (
        ITEM.title, ITEM.url, ITEM.published, "rss", 3, "en"
    )  # fmt: skip


def test_a_recovery_is_forwarded_too() -> None:
    out = tagged(ITEM, result(is_disruption=False, recovery=True))
    assert out.forward is not None and out.forward.recovery and not out.forward.is_disruption


def test_what_is_neither_or_has_no_event_type_is_not_forwarded() -> None:
    assert tagged(ITEM, result(is_disruption=False, event_type=None, severity=None)) == Tagged()
    assert tagged(ITEM, result(event_type=None)) == Tagged()


def test_a_tagging_error_becomes_a_dead_letter() -> None:
    out = tagged(ITEM, {"id": "strike", "error": "tagging failed: boom"})
    assert out == Tagged(error="tagging failed: boom")


def test_the_impacts_travel_with_the_disruption() -> None:
    closed = {"type": "port_closure", "evidence": {"text": "halted", "start": 15, "end": 21}}
    out = tagged(ITEM, result(impacts=[closed]))
    assert out.forward is not None and out.forward.impacts == [closed]


def test_a_hazard_items_area_and_routine_flag_travel_with_the_disruption() -> None:
    polygon = [38.47, -120.14, 38.34, -119.95, 38.52, -119.74, 38.62, -119.89]
    warning = ItemRecord(id="w", kind="cap", title="Yellow wind warning", categories=["Met"],
                         extra={"severity": "Moderate", "polygons": [polygon]})  # fmt: skip
    out = tagged(warning, result(id="w", event_type="storm"))
    assert out.forward is not None and out.forward.routine is True
    assert out.forward.area == [
        {
            "kind": "polygon",
            "points": [[38.47, -120.14], [38.34, -119.95], [38.52, -119.74], [38.62, -119.89]],
        }
    ]
    plain = tagged(ITEM, result()).forward
    assert plain is not None and (plain.area, plain.routine) == ([], False)


def test_a_replayed_item_is_tagged_again_though_seen_but_once_per_batch() -> None:
    old, again = ItemRecord(id="a"), ItemRecord(id="a", replay="run1")
    fresh, repeats = first_sightings([(1, old), (2, again), (3, again)], seen=lambda _id: True)
    assert fresh == [(2, again)]
    assert repeats == 2
