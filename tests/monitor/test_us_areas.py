"""US county and zone codes become the counties' outlines and name their states."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor import us_areas
from monitor.areas import distance_km

BOULDER = (40.015, -105.27)  # Boulder County, FIPS 08013
DENVER = (39.74, -104.99)  # Denver County, 08031
HOUSTON = (29.76, -95.37)  # Harris County, Texas
SHREVEPORT = (32.52, -93.75)  # Louisiana, 30 km from Texas


def inside(point: tuple[float, float], shapes: list[dict]) -> bool:
    return any(distance_km(*point, s) == 0 for s in shapes)


def test_same_and_fips_codes_become_their_counties() -> None:
    for name in ("SAME", "FIPS6"):
        shapes = us_areas.area({name: ["008013"]}, budget=40)
        assert shapes and all(s["kind"] == "polygon" for s in shapes)
        assert inside(BOULDER, shapes) and not inside(DENVER, shapes)
    five_digits = us_areas.area({"FIPS": ["08013"]}, budget=40)
    assert inside(BOULDER, five_digits)


def test_a_ugc_county_code_is_its_county_a_zone_code_only_its_state() -> None:
    assert inside(BOULDER, us_areas.area({"UGC": ["COC013"]}, budget=40))
    assert us_areas.area({"UGC": ["COZ035"]}, budget=40) == []
    assert us_areas.states({"UGC": ["COZ035"]}) == [("US-CO", "Colorado")]


def test_a_whole_state_code_is_the_state() -> None:
    shapes = us_areas.area({"SAME": ["048000"]}, budget=40)
    assert inside(HOUSTON, shapes) and not inside(SHREVEPORT, shapes)


def test_more_counties_than_the_budget_give_their_states_then_nothing() -> None:
    harris_and_boulder = {"SAME": ["048201", "008013"]}
    assert len(us_areas.area(harris_and_boulder, budget=40)) == 2
    states = us_areas.area(harris_and_boulder, budget=1)
    assert not states  # Texas and Colorado are two shapes: over a budget of one
    texas = {"SAME": ["048201", "048157", "048339"]}  # Harris, Fort Bend, Montgomery
    assert len(us_areas.area(texas, budget=3)) == 3
    [state] = us_areas.area(texas, budget=2)
    assert inside(HOUSTON, [state]) and inside((31.0, -100.0), [state])  # west Texas too


def test_unknown_and_foreign_codes_are_ignored() -> None:
    codes = {"UGC": ["ANZ330", "GMZ250", "XXC001"], "SAME": ["999999", "abc"],
             "EMMA_ID": ["PL010"], "profile:CAP-CP:Location:0.3": ["3530"]}  # fmt: skip
    assert us_areas.area(codes, budget=40) == []
    assert us_areas.states(codes) == []


def test_states_name_territories_by_their_iso_codes() -> None:
    assert us_areas.states({"UGC": ["PRC001", "VIZ001"], "SAME": ["069110"]}) == [
        ("US-MP", "Northern Mariana Islands"), ("US-PR", "Puerto Rico"),
        ("US-VI", "Virgin Islands, U.S."),
    ]  # fmt: skip


@given(st.dictionaries(st.text(max_size=8) | st.sampled_from(["SAME", "UGC", "FIPS6"]),
                       st.lists(st.text(max_size=8) | st.from_regex(r"\A\d{6}\Z")),
                       max_size=4))  # fmt: skip
def test_any_geocodes_give_shapes_and_states_without_failing(codes: dict) -> None:
    assert len(us_areas.area(codes, budget=40)) <= 40
    assert all(code.startswith("US-") for code, _name in us_areas.states(codes))


@pytest.mark.parametrize("budget", [0, 1])
def test_no_budget_gives_no_shape(budget: int) -> None:
    assert len(us_areas.area({"SAME": ["008013"]}, budget=budget)) <= budget
