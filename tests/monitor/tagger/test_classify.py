from __future__ import annotations

from dataclasses import replace

import pytest

from monitor.tagger import classify


@pytest.mark.parametrize(
    ("title", "body", "event_type"),
    [
        ("Antwerp dockworkers strike halts container terminals", "", "strike"),
        ("Grounded container ship blocks Suez Canal", "Traffic was halted.", "route_blockage"),
        ("Typhoon forces closure of Busan port", "Container handling was suspended.", "storm"),
        ("Floods inundate Thai industrial estates", "Factories had to close.", "flood"),
        ("Snowstorm closes highways in the Northeast", "Freight was delayed.", "extreme_weather"),
        (
            "97 ships stuck in ice near St. Petersburg",
            "The administration of the port said 97 ships were waiting.",
            "extreme_weather",
        ),
        ("Haulier enters administration", "Deliveries disrupted.", "insolvency"),
        (
            "Durban: delays due to port congestion",
            "Vessels are delayed due to poor weather.",
            "extreme_weather",
        ),
        ("Key border crossing shut", "7,000 trucks are stranded.", "route_blockage"),
        ("Road section collapsed in Cameroon", "Transport of goods is hampered.", "route_blockage"),
        (
            "Bosphorus closed for ships",
            "Traffic is suspended due to poor visibility.",
            "extreme_weather",
        ),
        ("Revolutionary Guards say they captured British oil tanker", "", "piracy_attack"),
        (
            "Mekong forces boats to reroute",
            "The river has almost dried up near the border.",
            "drought",
        ),
        ("Potash producer halts shipments as sinkhole expands", "", "other"),
        ("Guangzhou port storage unable to accept new coal cargoes", "", "port_congestion"),
        (
            "Two vessels grounded in the Suez Canal",
            "21 vessels are held behind them.",
            "route_blockage",
        ),
        (
            "US restricts imports of cattle from Belize",
            "New World screwworm was detected.",
            "other",
        ),
        (
            "China bans German egg imports over dioxin",
            "Dioxin was found in feed.",
            "recall_contamination",
        ),
        ("Port Houston terminals closed due to hardware failure", "", "other"),
        ("Downpour shuts mines, floods railways", "Rain from cyclone Debbie halted coal.", "storm"),
        ("Fire at chip fab halts output", "The fire damaged equipment.", "fire_explosion"),
        ("Fires sweep through sugarcane fields", "Fires burned 230,000 hectares.", "wildfire"),
        ("Miners affected by fire", "A bushfire is hampering operations.", "wildfire"),
        ("India bans exports of white rice", "", "export_restriction"),
        ("Ransomware attack stops container loading at Nagoya", "", "cyberattack"),
        (  # "attack ~ shipping" does not reach over the title's end
            "Shipping company hit by ransomware attack",
            "Chinese shipping company Cosco's email and phone lines were disabled.",
            "cyberattack",
        ),
        ("Shipping line files for bankruptcy", "Ships were stranded.", "insolvency"),
        ("Vessel queue grows as yard density tops 90%", "", "port_congestion"),
        ("Port update", "The average vessel waiting time increased to 9 days.", "port_congestion"),
        ("Port of Durban: berthing delays due to strong winds", "Operations suspended.", "storm"),
        (
            "Bridge collapses after being struck by a ship",
            "The channel is closed.",
            "route_blockage",
        ),
        ("Jebel Ali: terminal system outage", "Gate transactions suspended for 9 hrs.", "other"),
        ("Crowd Strike IT outage causes chaos", "Airlines grounded flights.", "other"),
        (
            "Typhoon shuts Busan port",
            "Cranes stopped. Analysts said shipping stocks rose.",
            "storm",
        ),
        (  # the headline gives the effect, the body the cause: the cause names the event
            "Ports in gridlock, dispute builds",
            "Operations have stopped as workers continue industrial action.",
            "strike",
        ),
    ],
)
def test_disruptions(decide, title: str, body: str, event_type: str) -> None:  # type: ignore[no-untyped-def]
    verdict = decide(title, body)
    assert verdict.is_disruption and not verdict.recovery
    assert verdict.event_type == event_type
    assert any(why == "event trigger" for _, why in verdict.evidence)


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Miner reports higher quarterly profit", "Revenue rose and the dividend was raised."),
        ("Cocoa prices rise on fears of dry weather", "Futures climbed as traders worried."),
        ("New battery plant opens in Hungary", "The factory was inaugurated on Monday."),
        ("EU and Mercosur conclude trade agreement", "The deal cuts tariffs."),
        ("Smartphone maker launches new flagship model", ""),
        ("Union threatens strike at ports next month", "Members could strike if talks fail."),
        ("Rail strike averted as unions accept pay offer", ""),
        ("Late strike earns Santos a draw", "A stunning strike in the 89th minute of the match."),
        ("Good rains boost Kenya's tea output", "Production rose 12% thanks to rainfall."),
        ("Port of Durban: operations normal", "No weather delays; berth waiting time under 24h."),
        ("Centre debunks rumours of fertiliser shortage", "The minister denounced the rumours."),
        ("Baseball: Yamamoto strikes out 15 in win", "He struck out 15 over eight innings."),
        ("Port terminals update", "No specific issues, nor stoppages and no port disruptions."),
        (
            "Late strike shifts momentum as underdogs stun favourites",
            "The contest appeared settled until the final whistle.",
        ),
    ],
)
def test_not_disruptions(decide, title: str, body: str) -> None:  # type: ignore[no-untyped-def]
    verdict = decide(title, body)
    assert not verdict.is_disruption
    assert verdict.event_type is None


def test_a_lead_that_reports_a_reopening_tells_what_ended_after_its_cause(decide) -> None:  # type: ignore[no-untyped-def]
    title, body = (
        "Regional updates",
        (
            "The channel has fully reopened following the collapse of the bridge, which blocked "
            "most traffic into the harbor."
        ),
    )
    verdict = decide(title, body, lead_end=len(title) + 1 + len(body))
    assert verdict.recovery and not verdict.is_disruption


@pytest.mark.parametrize(
    ("title", "body", "event_type"),
    [
        (
            "Suez Canal traffic resumes",
            "The ship that blocked the canal was refloated.",
            "route_blockage",
        ),
        ("Port of Santos reopens after strike", "", "strike"),
        ("India lifts ban on rice exports", "", "export_restriction"),
        ("Strike ends at Escondida copper mine", "", "strike"),
        ("Panama Canal traffic to increase as drought conditions ease", "", "drought"),
        ("Tanzania scraps grain export ban", "", "export_restriction"),
        (  # the vague "force majeure" gives way to the event named for it
            "Port operator lifts force majeure as workers return",
            "It has lifted the force majeure declared at its ports. It declared a force majeure "
            "two weeks ago after workers embarked on a strike.",
            "strike",
        ),
        ("Somali pirates get ransom, free Greek ship", "The crew was released.", "piracy_attack"),
        ("Floodwater recedes in Bangkok", "The floods that swamped factories receded.", "flood"),
        ("Network outage resolved", "All internal systems are fully functional.", "other"),
    ],
)
def test_recoveries(decide, title: str, body: str, event_type: str) -> None:  # type: ignore[no-untyped-def]
    verdict = decide(title, body)
    assert verdict.recovery and not verdict.is_disruption
    assert verdict.event_type == event_type


def test_a_resolution_still_to_come_is_no_recovery(decide) -> None:  # type: ignore[no-untyped-def]
    verdict = decide("US dock strike threatens retailers",
                     "Shelves may empty unless the dock strike is resolved quickly.")  # fmt: skip
    assert not verdict.recovery


def test_hazard_hint_decides_the_type(decide) -> None:  # type: ignore[no-untyped-def]
    verdict = decide("Green earthquake alert in Japan", "", event_hint="earthquake")
    assert verdict.is_disruption and verdict.event_type == "earthquake"


@pytest.mark.parametrize(
    ("title", "hints"),
    [
        ("M 1.1 - 16km NE of Borrego Springs, CA", {"magnitude": 1.1}),
        ("Green earthquake alert in Pacific-Antarctic Ridge", {"has_country": False}),
        ("Flash Flood Watch issued for Cascade County", {}),
        ("Earthquake felt in Tokyo", {}),
    ],
)
def test_hazards_that_hit_nothing(decide, title: str, hints: dict) -> None:  # type: ignore[no-untyped-def]
    body = "No damage was reported." if "Tokyo" in title else ""
    event_hint = "flood" if "Flood" in title else "earthquake"
    verdict = decide(title, body, event_hint=event_hint, **hints)
    assert not verdict.is_disruption


def test_decide_weighs_with_the_named_weights(decide, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    title = "Antwerp dockworkers strike halts container terminals"
    assert decide(title).is_disruption
    monkeypatch.setattr(classify, "WEIGHTS", replace(classify.WEIGHTS, threshold=9.0))
    assert not decide(title).is_disruption
