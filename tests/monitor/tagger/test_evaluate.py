from __future__ import annotations

import pytest

from monitor.tagger.evaluate import Counts, f1_of, wilson


def test_wilson_matches_the_textbook_interval() -> None:
    low, high = wilson(8, 10)  # Wilson 95% for 8/10: 0.490 to 0.943
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(5, 5)[1] == 1.0 and wilson(0, 5)[0] == 0.0


def test_f1_interval_brackets_the_f1_and_is_reproducible() -> None:
    counts = Counts()
    for i in range(40):
        counts.add({i} if i % 2 else set(), {i} if i % 3 else set())
    low, high = counts.f1_interval()
    assert low < counts.f1 < high
    assert counts.f1_interval() == (low, high)
    assert f1_of(0, 0, 0) == 1.0 and f1_of(1, 1, 0) == pytest.approx(2 / 3)


def _tag(dis: bool, countries: list[str], materials: list[str], recovery: bool = False) -> dict:
    return {"is_disruption": dis, "recovery": recovery, "countries": countries,
            "materials": materials}  # fmt: skip


def test_alert_pairs_count_buyers_by_country_and_material() -> None:
    from monitor.tagger.evaluate import Buyers

    gold = _tag(True, ["BE"], ["cocoa"])
    buyers = Buyers.of([gold, _tag(True, ["NL", "BE"], ["coffee", "cocoa"])])
    assert buyers.pairs(gold, gold) == (1, 0, 0)
    # an extra country alerts the wrong buyer; naming no material alerts every material there
    assert buyers.pairs(gold, _tag(True, ["BE", "NL"], ["cocoa"])) == (1, 1, 0)
    assert buyers.pairs(gold, _tag(True, ["BE"], [])) == (1, 1, 0)
    # a recovery or a non-disruption alerts nobody; a material outside the population neither
    assert buyers.pairs(gold, _tag(False, ["BE"], ["cocoa"], recovery=True)) == (0, 0, 1)
    assert buyers.pairs(_tag(False, [], []), _tag(True, ["BE"], ["tin"])) == (0, 0, 0)
    assert buyers.pairs(_tag(True, ["NL"], []), _tag(True, ["NL"], ["coffee"])) == (1, 0, 1)


def test_evaluation_scores_alerts_groups_and_advisory_events(monkeypatch) -> None:
    from monitor.tagger import evaluate as ev

    rows = [
        {"id": f"i{n}", "title": "t", "body": "", "publisher_domain": "a.example",
         "style": "advisory" if n % 2 else "news",
         "gold": {**_tag(True, ["BE"], ["cocoa"]), "event_type": "other",
                  "impacts": ["port_congestion"], "severity": "low"}}
        for n in range(6)
    ]  # fmt: skip
    out = {**_tag(True, ["BE"], [{"name": "cocoa"}]), "event_type": "port_congestion",
           "impacts": [{"type": "port_congestion"}], "severity": "low"}  # fmt: skip
    monkeypatch.setattr(ev, "tag_items", lambda inputs: [out for _ in inputs])
    result = ev.evaluate_groups(rows, split="x")
    figures = result.report.figures()
    assert figures["alert P"].value == figures["alert R"].value == 1.0
    assert figures["event type"].value == 0.0  # the cause differs…
    assert figures["event (cause or an impact)"].value == 1.0  # …but the impact is right
    assert figures["impact F1"].value == 1.0
    assert set(result.groups) == {"publisher a.example", "style advisory", "style news"}
    assert figures["country P"].value == 1.0
    lines = {line.split(" (")[0].strip(): line for line in ev.format_groups(result).splitlines()}
    assert "alert P 1.00" in lines["publisher a.example"]
    assert "flagged" not in lines["publisher a.example"]  # the advisory measures are per style
    assert "flagged 1.00" in lines["style advisory"] and "country P 1.00" in lines["style advisory"]
    assert "event 1.00" in lines["style advisory"]
