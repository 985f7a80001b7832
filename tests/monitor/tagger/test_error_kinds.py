"""The error kinds real news showed (issue 11), one test each: recoveries, threats and
averted events, negation across title and body, protester blockades, event-type confusions,
materials, affected countries, terse incident reports."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.tagger.tag import tag_items


def tag(title: str, body: str = "") -> dict[str, Any]:
    return next(tag_items([{"id": "x", "title": title, "body": body}]))


def materials(out: dict[str, Any]) -> set[str]:
    return {m["name"] for m in out["materials"]}


def test_a_lifted_blockade_with_a_long_subject_is_a_recovery(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Blockade of the main highway to the Las Bambas copper mine in Peru is lifted",
        "Trucks carrying concentrate moved again on Tuesday.",
    )
    assert (out["is_disruption"], out["recovery"], out["event_type"]) == (
        False, True, "route_blockage",
    )  # fmt: skip


def test_a_strike_called_off_in_the_title_negates_the_body(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Union calls off strike at Australian LNG plants",
        "The walkout by 500 offshore workers at the Gorgon and Wheatstone platforms will "
        "not go ahead, the union said after last-minute talks with the operator.",
    )
    assert out["is_disruption"] is False


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("El Niño threatens cocoa crop in West Africa", "Dry weather may cut yields in Ghana."),
        ("Dockworkers agree to strike at Chilean ports", "The union voted on Monday."),
        (
            "Port strikes averted with contract extension",
            "Dockworkers on the East Coast agreed to extend their contract by three months.",
        ),
        (
            "Brazil coffee escapes frost damage",
            "Temperatures stayed above freezing in Minas Gerais.",
        ),
        (
            "Supplier collapse avoided as lenders agree rescue",
            "The auto parts maker keeps its plants running.",
        ),
        ("India expects a record wheat crop", "Good rains lifted output forecasts."),
    ],
)
def test_threats_forecasts_and_averted_events_are_not_disruptions(
    nlp, title: str, body: str
) -> None:  # type: ignore[no-untyped-def]
    assert tag(title, body)["is_disruption"] is False


def test_protesters_blocking_the_road_to_a_mine_is_a_route_blockage(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Protesters block road to Las Bambas copper mine in Peru",
        "Community members set up roadblocks on the mining corridor, halting shipments "
        "of copper concentrate.",
    )
    assert out["is_disruption"] is True and out["event_type"] == "route_blockage"


@pytest.mark.parametrize(
    ("title", "body", "event_type"),
    [
        (
            "Storm floods streets of Porto Alegre",
            "Floodwater inundated warehouses and the river burst its banks.",
            "flood",
        ),
        (
            "Wildfire burns through eucalyptus plantations in Chile",
            "The fire spread over 20,000 hectares near pulp mills.",
            "wildfire",
        ),
        (
            "General strike paralyses Argentina",
            "Unions stopped ports, trains and factories across the country.",
            "strike",
        ),
        (
            "China tightens exports of graphite",
            "Exporters will need licences from December.",
            "export_restriction",
        ),
        ("Indonesia curbs exports of palm oil", "Shipments fell sharply.", "export_restriction"),
        (
            "Ship hit by missile in the Red Sea",
            "A commercial ship was struck by a missile fired by rebels; the crew is safe.",
            "piracy_attack",
        ),
        (
            "Missile strikes hit Odesa grain terminal",
            "Russian missiles destroyed silos at the terminal overnight.",
            "conflict",
        ),
        (
            "Port operations halted by protesters",
            "Demonstrators stopped trucks at the gates of Umm Qasr port on Monday.",
            "route_blockage",
        ),
        (
            "Notification from the pilots' association",
            "Due to a vessel allision and subsequent barge breakaway, the Lower Mississippi "
            "River is now closed until further notice.",
            "route_blockage",
        ),
        (
            "Russia halts exports of gasoline",
            "The ban takes effect on Friday.",
            "export_restriction",
        ),
    ],
)
def test_event_type_confusions(nlp, title: str, body: str, event_type: str) -> None:  # type: ignore[no-untyped-def]
    out = tag(title, body)
    assert out["is_disruption"] is True and out["event_type"] == event_type


def test_container_ships_and_ports_are_context_not_containers(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Fire on container ship at the container port of Colombo",
        "The blaze on the vessel's deck was put out; rubber cargo was damaged.",
    )
    assert "containers" not in materials(out) and "rubber" in materials(out)


def test_container_ships_with_no_other_good_are_container_shipping(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Ships still anchored off LA-LB in sign of ongoing gridlock",
        "Six container ships were anchored off the ports of Los Angeles and Long Beach.",
    )
    assert materials(out) == {"containers"}


def test_cars_electricity_and_gas_in_passing_are_not_exposed(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Strike halts copper mine in Chile",
        "Striking workers parked cars across the access road. The company said earlier this "
        "year that higher electricity and natural gas bills had squeezed its margins.",
    )
    assert materials(out) == {"copper"}


@pytest.mark.parametrize(
    ("title", "body", "material"),
    [
        (
            "Earthquake halts production at Taiwan chip foundry",
            "The foundry evacuated its fabs.",
            "semiconductors",
        ),
        (
            "Thai floods threaten hard-drive supply",
            "Factories in Ayutthaya were inundated.",
            "electronics",
        ),
        (
            "Contamination closes infant formula plant in Michigan",
            "The plant recalled products.",
            "dairy",
        ),
    ],
)
def test_products_named_through_a_company_or_output(
    nlp, title: str, body: str, material: str
) -> None:  # type: ignore[no-untyped-def]
    assert material in materials(tag(title, body))


@pytest.mark.parametrize(
    ("title", "body", "countries"),
    [
        (
            "Houthi missile hits Danish container ship in Red Sea",
            "Maersk, based in Copenhagen, diverted its vessels.",
            ["YE"],
        ),
        (
            "US sanctions Russian aluminium producer",
            "Washington said the measures target exports from Russia.",
            ["RU"],
        ),
        (
            "Fire halts London-listed miner's Ghana gold mine",
            "The company, listed in London, said output would stop for a week.",
            ["GH"],
        ),
        ("Ship runs aground in Suez Canal", "Traffic through the waterway was halted.", ["EG"]),
    ],
)
def test_affected_countries_are_where_supply_is_hit(
    nlp, title: str, body: str, countries: list[str]
) -> None:  # type: ignore[no-untyped-def]
    assert tag(title, body)["countries"] == countries


@pytest.mark.parametrize(
    ("title", "body", "event_type"),
    [
        ("Fire at warehouse, Port of Durban", "", "fire_explosion"),
        ("Berth 4 closed, Port of Santos", "Crane collapse.", "other"),
        ("Explosion reported at chemical plant, Antwerp", "", "fire_explosion"),
        ("Flooding, Chittagong port", "Operations stopped.", "flood"),
    ],
)
def test_terse_incident_reports_are_flagged(nlp, title: str, body: str, event_type: str) -> None:  # type: ignore[no-untyped-def]
    out = tag(title, body)
    assert out["is_disruption"] is True and out["event_type"] == event_type


def test_a_market_headline_that_says_supply_stopped_is_a_disruption(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "Oil prices rise as Libya shuts down crude production",
        "Armed groups blockaded two of the country's major oilfields on Monday.",
    )
    assert out["is_disruption"] is True and "crude oil" in materials(out)


def test_a_country_at_the_head_of_a_title_case_headline_is_the_country(nlp) -> None:  # type: ignore[no-untyped-def]
    out = tag(
        "India Bans Wheat Exports With Immediate Effect",
        "Shipments with letters of credit issued before the notification will be allowed.",
    )
    assert out["countries"] == ["IN"] and materials(out) == {"wheat"}


@pytest.mark.parametrize(
    ("title", "body"),
    [
        ("Tanker ship, crew seized off Nigeria's coast", "Pirates seized an oil tanker."),
        ("Truck drivers strike across Brazil", "Strikers angry about fuel prices blocked roads."),
        ("Protests block roads in Colombia", "The shortage of cargo vehicles continues."),
    ],
)
def test_goods_named_for_a_vehicle_or_a_price_are_not_exposed(nlp, title: str, body: str) -> None:  # type: ignore[no-untyped-def]
    out = tag(title, body)
    assert out["is_disruption"] is True and materials(out) == set()


def test_power_rationing_in_a_heatwave_is_the_heatwave_with_a_power_cut(nlp) -> None:  # type: ignore[no-untyped-def]
    """The cause is the event type (docs/design.md); the outage is its impact."""
    out = tag(
        "China rations power to factories as heatwave strains grid",
        "Sichuan ordered factories to halt production to save electricity.",
    )
    assert out["event_type"] == "extreme_weather"
    assert "power_outage" in {i["type"] for i in out["impacts"]}


@pytest.mark.parametrize(
    ("title", "body"),
    [
        (
            "Govt has no plan to lift export curbs on wheat, says minister",
            "The government is not considering any proposal to lift the export curbs on wheat.",
        ),
        ("Port not reopened after typhoon", "Terminals at the port stay shut on Tuesday."),
    ],
)
def test_a_negated_recovery_leaves_the_disruption(nlp, title: str, body: str) -> None:  # type: ignore[no-untyped-def]
    out = tag(title, body)
    assert out["is_disruption"] is True and out["recovery"] is False


@pytest.mark.parametrize(
    ("title", "body", "recovery"),
    [
        (
            "Typhoon leaves vessel delays in its wake as ports in China reopen",
            "Terminals at Ningbo and Shanghai resumed work, but ships wait days for a berth.",
            False,
        ),
        ("Port ramps up capacity as cargo delays ease", "Congestion continued to improve.", True),
        ("Port of Durban reopens after strike halted work", "Cranes are moving again.", True),
    ],
)
def test_a_headline_that_reports_harm_before_a_reopening_is_still_a_disruption(  # type: ignore[no-untyped-def]
    nlp, title: str, body: str, recovery: bool
) -> None:
    out = tag(title, body)
    assert out["recovery"] is recovery and out["is_disruption"] is not recovery


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "Huge fire engulfs Indonesian oil refinery",
            "Flames rose over the plant.",
            {"crude oil", "diesel"},
        ),
        ("Fire at sugar refinery halts output", "The plant near Durban is shut.", {"sugar"}),
    ],
)
def test_an_oil_refinery_makes_fuel(nlp, title: str, body: str, expected: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert materials(tag(title, body)) == expected
