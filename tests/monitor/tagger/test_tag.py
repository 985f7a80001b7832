from __future__ import annotations

import pytest

from monitor.tagger import pipeline
from monitor.tagger.tag import tag_items

KEYS = {"id", "is_disruption", "recovery", "event_type", "impacts", "countries", "places",
        "materials", "severity", "confidence", "evidence"}  # fmt: skip
STRIKE = {
    "id": "antwerp",
    "title": "Dockworkers strike halts Antwerp container terminals",
    "body": "Dockers at the Port of Antwerp in Belgium went on strike, halting cocoa shipments.",
}


@pytest.fixture(scope="module")
def strike(nlp) -> dict:  # type: ignore[no-untyped-def]
    return next(tag_items([STRIKE]))


def test_output_follows_the_contract(strike: dict) -> None:
    assert set(strike) == KEYS
    assert strike["is_disruption"] is True and strike["recovery"] is False
    assert strike["event_type"] == "strike"
    assert strike["countries"] == ["BE"]
    assert {"name": "cocoa", "hs": "1801"} in strike["materials"]
    assert strike["severity"] in {"low", "medium", "high", "critical"}
    assert 0 < strike["confidence"] <= 1
    place_keys = {"name", "country", "kind", "subdivision", "locode", "lat", "lon"}
    assert strike["places"] and all(set(p) == place_keys for p in strike["places"])


def test_impacts_name_what_happened_to_supply_beside_the_cause(nlp) -> None:  # type: ignore[no-untyped-def]
    body = "Container terminals suspended operations and flights were cancelled."
    item = {"id": "ningbo", "title": "Typhoon closes Ningbo port", "body": body}
    out = next(tag_items([item]))
    assert out["event_type"] == "storm"
    assert [i["type"] for i in out["impacts"]] == ["port_closure", "transport_suspension"]
    text = item["title"] + "\n" + item["body"]
    for i in out["impacts"]:
        assert set(i) == {"type", "evidence"} and set(i["evidence"]) == {
            "text",
            "start",
            "end",
            "why",
        }
        assert text[i["evidence"]["start"] : i["evidence"]["end"]] == i["evidence"]["text"]


@pytest.mark.parametrize(
    "item",
    [
        {
            "id": "hedged",
            "title": "Floods swamp Assam tea estates",
            "body": "Officials said the rain could close the port of Kolkata.",
        },
        {
            "id": "none",
            "title": "Cocoa futures rise",
            "body": "Traders watch the port closure talks.",
        },
    ],
)
def test_impacts_are_asserted_and_only_for_disruptions(nlp, item: dict) -> None:  # type: ignore[no-untyped-def]
    out = next(tag_items([item]))
    assert out["impacts"] == [], out


@pytest.mark.parametrize(
    ("item", "event", "impact"),
    [
        ({"id": "river", "title": "Lower Mississippi River closed after barge breakaway"},
         "route_blockage", "route_blockage"),
        ({"id": "blank", "title": "Carriers announce blank sailings",
          "body": "Shipping lines have announced blank sailings on Asia-Europe loops in November."},
         "other", "sailings_cancelled"),
    ],
)  # fmt: skip
def test_an_impact_alone_reports_a_disruption(nlp, item: dict, event: str, impact: str) -> None:  # type: ignore[no-untyped-def]
    out = next(tag_items([item]))
    assert (out["is_disruption"], out["event_type"]) == (True, event)
    assert [i["type"] for i in out["impacts"]] == [impact]


def test_an_impact_inside_a_hedged_trigger_is_no_impact(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "vote", "title": "Port workers vote to strike at Fremantle",
            "body": "The union said talks had stalled."}  # fmt: skip
    out = next(tag_items([item]))
    assert not out["is_disruption"] and out["impacts"] == []


def test_evidence_offsets_index_title_newline_body(strike: dict) -> None:
    text = STRIKE["title"] + "\n" + STRIKE["body"]
    assert any(e["why"] == "event trigger" for e in strike["evidence"])
    for e in strike["evidence"]:
        assert text[e["start"] : e["end"]] == e["text"]
        assert set(e) == {"text", "start", "end", "why"}


def test_order_is_kept_and_bad_items_get_an_error(nlp) -> None:  # type: ignore[no-untyped-def]
    items = [STRIKE, {"title": "no id"}, "a string", {"id": "x", "title": 3}, {"id": "ok"}]
    out = list(tag_items(items))
    assert [o.get("id") for o in out] == ["antwerp", None, None, "x", "ok"]
    assert [("error" in o) for o in out] == [False, True, True, True, False]
    assert out[1]["error"] == "missing id"
    assert out[4]["is_disruption"] is False and out[4]["event_type"] is None
    assert out[4]["severity"] is None


def test_structured_hints_win_over_text(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {
        "id": "gdacs-1",
        "title": "Orange earthquake alert in Japan",
        "body": "An earthquake occurred. Officials in France said nothing.",
        "country_hint": ["JP"],
        "event_hint": "earthquake",
        "severity_hint": "high",
    }
    out = next(tag_items([item]))
    assert out["is_disruption"] and out["event_type"] == "earthquake"
    assert out["countries"] == ["JP"] and out["severity"] == "high"


def test_hazard_at_sea_with_no_country_is_not_a_disruption(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "ridge", "title": "M 5.1 - Pacific-Antarctic Ridge",
            "body": "Magnitude 5.1 earthquake Pacific-Antarctic Ridge, depth 10 km.",
            "event_hint": "earthquake"}  # fmt: skip
    assert next(tag_items([item]))["is_disruption"] is False


def test_cascade_skips_the_statistical_pass_for_plain_news(nlp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[str] = []
    real = pipeline.analyse

    def spy(texts, **kwargs):  # type: ignore[no-untyped-def]
        seen.extend(texts)
        return real(texts, **kwargs)

    monkeypatch.setattr(pipeline, "analyse", spy)
    plain = {"id": "p", "title": "Bakery wins regional award", "body": "Customers were delighted."}
    out = list(tag_items([plain, STRIKE]))
    assert [o["id"] for o in out] == ["p", "antwerp"]
    assert len(seen) == 1 and seen[0].startswith(STRIKE["title"])
    assert out[0]["is_disruption"] is False and out[0]["confidence"] >= 0.9


@pytest.mark.parametrize(
    ("title", "body", "event_type"),
    [
        ("Refinery back online after blast", "The plant resumed full runs.", "fire_explosion"),
        ("Port strike in Chile is over", "Dockworkers agreed a deal.", "strike"),
        ("Union halts strike at Australian LNG plant", "Work resumed.", "strike"),
        ("India permits rice exports again", "Shipments may leave.", "export_restriction"),
        (
            "Vessel traffic continues as fog clears in Houston",
            "Fog blocked all traffic.",
            "extreme_weather",
        ),
        ("Rail traffic in Germany back on track after strike", "", "strike"),
    ],
)
def test_recoveries_win_over_the_disruption_words(
    nlp, title: str, body: str, event_type: str
) -> None:  # type: ignore[no-untyped-def]
    out = next(tag_items([{"id": "r", "title": title, "body": body}]))
    assert (out["is_disruption"], out["recovery"], out["event_type"]) == (False, True, event_type)


def test_missiles_on_ships_are_attacks_at_sea_placed_in_the_waters(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "h", "title": "Houthi missiles hit container ship in Red Sea",
            "body": "The vessel was struck off Yemen."}  # fmt: skip
    out = next(tag_items([item]))
    assert out["event_type"] == "piracy_attack" and out["countries"] == ["YE"]


@pytest.mark.parametrize(
    ("title", "body", "disruption", "recovery"),
    [
        (
            "Major power outage hits Spain and Portugal",
            "Power has been largely restored across Spain, following a blackout.",
            False,
            True,
        ),
        (
            "Cyclone Gabrielle hits New Zealand's North Island",
            "Ports closed on Sunday, operations expected to resume on Wednesday.",
            True,
            False,
        ),
        (
            "Port operational updates",
            "Melbourne: While vessel operations at the port resume normally, terminal IT outages "
            "have impacted container trucking.",
            True,
            False,
        ),
        (
            "Arabica futures fall as Brazil harvest advances",
            "Good weather in Colombia eased concerns about supply.",
            False,
            False,
        ),
        (  # a short first line is a heading: the lead is the sentence after it
            "Announcement Strike Finland",
            "Update 2 March 2023\nThe strike at Finnish ports is over.",
            False,
            True,
        ),
    ],
)
def test_a_recovery_in_the_lead_is_the_news_unless_hedged_or_followed(
    nlp, title: str, body: str, disruption: bool, recovery: bool
) -> None:  # type: ignore[no-untyped-def]
    out = next(tag_items([{"id": "lead", "title": title, "body": body}]))
    assert (out["is_disruption"], out["recovery"]) == (disruption, recovery)


@pytest.mark.parametrize(
    "title",
    ["Port congestion likely at Chittagong during Eid", "Port strike to knock exports?"],
)
def test_likely_and_asked_disruptions_are_not_reported(nlp, title: str) -> None:  # type: ignore[no-untyped-def]
    assert next(tag_items([{"id": "t", "title": title}]))["is_disruption"] is False


def test_threats_with_conditions_are_not_disruptions(nlp) -> None:  # type: ignore[no-untyped-def]
    item = {"id": "t", "title": "Workers plan strike at Chilean mine if no contract",
            "body": "The union said it would walk out next week."}  # fmt: skip
    assert next(tag_items([item]))["is_disruption"] is False
