"""The watch index matches what a full scan matches, and decides alerts once per buyer."""

from __future__ import annotations

import random
from typing import Any

from monitor.matching import WatchIndex, WatchSpec, decide_alerts
from monitor.matching.alerts import alert_message
from monitor.matching.index import scan
from monitor.matching.watches import SiteSpec

ANTWERP = {"name": "Antwerp", "country": "BE", "kind": "port", "locode": "BEANR",
           "lat": 51.22, "lon": 4.40}  # fmt: skip


def incident(**kw: Any) -> dict[str, Any]:
    base = {"id": "inc", "severity": "high", "status": "open", "countries": ["BE"],
            "places": [ANTWERP], "materials": [{"name": "cocoa"}], "version": 1,
            "evidence": [{"text": "strike"}], "sources": [{"feed_id": 3}]}  # fmt: skip
    return {**base, **kw}


def spec(key: str, buyer: int = 1, **kw: Any) -> WatchSpec:
    return WatchSpec(key=key, buyer_id=buyer, name=key, watch_id=int(key[1:]), **kw)


def test_place_and_material_must_both_overlap() -> None:
    index = WatchIndex()
    index.put(spec("w1", countries=frozenset({"BE"}), materials=frozenset({"cocoa"})))
    index.put(spec("w2", countries=frozenset({"BE"}), materials=frozenset({"copper"})))
    index.put(spec("w3", lanes=frozenset({"BEANR"})))
    index.put(spec("w4", sites=(SiteSpec(51.3, 4.5, 30, "plant"),), materials=frozenset({"cocoa"})))
    index.put(spec("w5", sites=(SiteSpec(48.8, 2.3, 30, "paris"),)))
    index.put(spec("w6", countries=frozenset({"BE"}), min_severity="critical"))
    assert [m.spec.key for m in index.match(incident())] == ["w1", "w3", "w4"]
    # An incident naming no material hits every watch on its place.
    assert [m.spec.key for m in index.match(incident(materials=[]))] == ["w1", "w2", "w3", "w4"]
    hit = index.match(incident())[2]
    assert hit.places[0].startswith("site plant: ")


def test_changes_and_removals_reach_the_index() -> None:
    index = WatchIndex()
    index.put(spec("w1", countries=frozenset({"BE"})))
    index.put(spec("w1", countries=frozenset({"NL"})))
    assert index.match(incident()) == []
    index.remove("w1")
    assert len(index) == 0 and not index._index


def test_index_agrees_with_a_full_scan() -> None:
    rng = random.Random(3)
    countries, materials = ["BE", "NL", "CI", "GH", "JP"], ["cocoa", "copper", "neon", "rice"]
    index, specs = WatchIndex(), []
    for i in range(400):
        s = spec(f"w{i}", buyer=i % 7,
                 countries=frozenset(rng.sample(countries, rng.randint(0, 2))),
                 materials=frozenset(rng.sample(materials, rng.randint(0, 2))),
                 sites=tuple(SiteSpec(rng.uniform(40, 60), rng.uniform(-5, 15), 200)
                             for _ in range(rng.randint(0, 1))),
                 min_severity=rng.choice(["low", "medium", "high", "critical"]))  # fmt: skip
        index.put(s)
        specs.append(s)
    for c in countries:
        for m in [*materials, None]:
            inc = incident(countries=[c], materials=[{"name": m}] if m else [])
            assert index.match(inc) == scan(specs, inc)


def test_one_alert_per_buyer_again_when_worse_and_an_all_clear() -> None:
    index = WatchIndex()
    index.put(spec("w1", countries=frozenset({"BE"})))
    index.put(spec("w2", countries=frozenset({"BE"}), materials=frozenset({"cocoa"})))
    first, record = decide_alerts(incident(), index.match(incident()), None)
    assert [(d.buyer_id, d.kind, d.watch["id"]) for d in first] == [(1, "new", 1)]
    again, record = decide_alerts(incident(version=2), index.match(incident()), record)
    assert again == []
    worse = incident(version=3, severity="critical")
    more, record = decide_alerts(worse, index.match(worse), record)
    assert [d.kind for d in more] == ["worse"]
    closed, record = decide_alerts(incident(status="closed"), [], record)
    assert [d.kind for d in closed] == ["all_clear"]
    assert decide_alerts(incident(status="closed"), [], record)[0] == []
    message = alert_message(first[0], incident(), [
        {"material": "cocoa", "suggestions": [{"id": 9, "name": "S", "country": "GH",
                                               "score": 0.9, "reasons": ["r"]}]}])  # fmt: skip
    assert message["id"] == "1:inc:1" and message["feed_ids"] == [3]
    assert message["suggestions"][0]["suppliers"][0]["country"] == "GH"
    assert message["why"]["places"] == ["country BE"]
