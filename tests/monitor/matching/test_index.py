"""The watch index matches what a full scan matches, and decides alerts once per buyer."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterator
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monitor.geo import haversine_km
from monitor.matching import WatchIndex, WatchSpec, decide_alerts
from monitor.matching.alerts import alert_message
from monitor.matching.index import near, scan
from monitor.matching.watches import SiteSpec
from monitor.vocab import SEVERITIES

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


def test_a_match_says_which_materials_and_places_overlapped() -> None:
    watch = spec("w1", countries=frozenset({"BE", "NL"}), subdivisions=frozenset({"BE-VAN"}),
                 lanes=frozenset({"BEANR", "NLRTM"}), materials=frozenset({"cocoa", "copper"}),
                 sites=(SiteSpec(51.3, 4.5, 30), SiteSpec(51.0, 4.0, 5, "far")))  # fmt: skip
    inc = incident(places=[{"lat": 51.25, "lon": 4.45}, {**ANTWERP, "subdivision": "BE-VAN"}])
    [hit] = indexed([watch]).match(inc)
    assert hit.materials == ("cocoa",)
    assert hit.places == ("country BE", "subdivision BE-VAN", "lane BEANR",
                          "site 51.30,4.50: 7 km from the incident")  # fmt: skip


def test_a_country_or_sea_named_in_a_report_is_no_point_for_sites() -> None:
    # The tagger places Belgium at Brussels: a plant 5 km from Brussels is not hit by news
    # that names only Belgium, but it is by news that names a port 5 km away.
    near_brussels = spec("w1", sites=(SiteSpec(50.85, 4.35, 10, "plant"),))
    belgium = {"name": "Belgium", "country": "BE", "kind": "country", "lat": 50.85, "lon": 4.35}
    sea = {"name": "North Sea", "country": None, "kind": "waterway", "lat": 50.85, "lon": 4.35}
    port = {"name": "Brussels", "country": "BE", "kind": "port", "lat": 50.88, "lon": 4.37}
    index = indexed([near_brussels])
    assert index.match(incident(places=[belgium, sea])) == []
    [hit] = index.match(incident(places=[belgium, port]))
    assert hit.places == ("site plant: 4 km from Brussels",)


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
    assert (message["why"]["cause"], message["why"]["impacts"]) == ("disruption", [])
    closed = incident(event_type="storm", impacts=[{"type": "port_closure", "evidence": {}}])
    message = alert_message(first[0], closed, [])
    assert message["why"]["cause"] == "storm — port closed"
    assert message["why"]["impacts"] == ["port_closure"]


# Randomised watches and incidents over a few names, so that they overlap often, and points
# within 2° of one to three anchors: anywhere, or by Antwerp, on both sides of the antimeridian
# and near the North Pole. Sites reach 1 to 400 km, so points fall both in and out of reach.
MATERIALS = ["cocoa", "copper", "rice"]
COUNTRIES = ["BE", "FJ", "NZ"]
SUBDIVISIONS = ["BE-VAN", "FJ-C"]
LANES = ["BEANR", "SUEZ", "ANTWERP"]
ANCHORS = [(51.22, 4.40), (-17.0, 179.9), (-17.5, -179.8), (65.8, 180.0), (88.5, 0.0)]
Point = tuple[float, float]
anchor_lists = st.lists(
    st.one_of(st.sampled_from(ANCHORS), st.tuples(st.floats(-90, 90), st.floats(-180, 180))),
    min_size=1, max_size=3,
)  # fmt: skip
jitter = st.integers(-200, 200).map(lambda n: n / 100)  # degrees, more evenly than floats
fuzz = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def points(draw: st.DrawFn, anchors: list[Point]) -> Point:
    lat, lon = draw(st.sampled_from(anchors))
    lat = min(90.0, max(-90.0, lat + draw(jitter)))
    lon = (lon + draw(jitter) + 180) % 360 - 180
    return lat, lon


@st.composite
def sites(draw: st.DrawFn, anchors: list[Point]) -> SiteSpec:
    lat, lon = draw(points(anchors))
    return SiteSpec(lat, lon, draw(st.integers(1, 400)), draw(st.sampled_from(["", "plant"])))


def some(names: list[str]) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(names), max_size=2)


# With `areas` false, watches have sites alone and incidents points alone: what a watch hits
# is then what the distance check says, never a country, subdivision or lane.


@st.composite
def watch_fields(draw: st.DrawFn, anchors: list[Point], areas: bool = True) -> dict[str, Any]:
    fields = dict(
        buyer=draw(st.integers(1, 3)), materials=draw(some(MATERIALS)),
        sites=tuple(draw(st.lists(sites(anchors), max_size=2))),
        min_severity=draw(st.sampled_from([*SEVERITIES, "unknown"])),
        routine_warnings=draw(st.booleans()),
    )  # fmt: skip
    if areas:
        fields.update(countries=draw(some(COUNTRIES)), subdivisions=draw(some(SUBDIVISIONS)),
                      lanes=draw(some(LANES)))  # fmt: skip
    return fields


@st.composite
def places(draw: st.DrawFn, anchors: list[Point], areas: bool = True) -> dict[str, Any]:
    place: dict[str, Any] = {"kind": "city", "name": draw(st.sampled_from(["Suva", None]))}
    if areas:
        place["kind"] = draw(st.sampled_from(["port", "waterway", "city"]))
        place["name"] = draw(st.sampled_from(["Antwerp", "Suez", "Suva", None]))
        place["locode"] = draw(st.sampled_from(["BEANR", None]))
        place["country"] = draw(st.sampled_from([*COUNTRIES, None, None, None]))
        place["subdivision"] = draw(st.sampled_from([*SUBDIVISIONS, None, None, None]))
    if not areas or draw(st.integers(0, 3)):
        place["lat"], place["lon"] = draw(points(anchors))
    return place


@st.composite
def shapes(draw: st.DrawFn, anchors: list[Point]) -> dict[str, Any]:
    """Return a hazard area's shape around an anchor: a circle, a box or a triangle."""
    (lat, lon), (lat2, lon2) = draw(points(anchors)), draw(points(anchors))
    kind = draw(st.sampled_from(["circle", "bbox", "polygon"]))
    if kind == "circle":
        return {"kind": "circle", "lat": lat, "lon": lon, "radius_km": draw(st.integers(1, 600))}
    if kind == "bbox":
        return {"kind": "bbox", "bbox": [min(lon, lon2), min(lat, lat2), max(lon, lon2),
                                         max(lat, lat2)]}  # fmt: skip
    lat3, lon3 = draw(points(anchors))
    return {"kind": "polygon", "points": [[lat, lon], [lat2, lon2], [lat3, lon3]]}


@st.composite
def incidents(draw: st.DrawFn, anchors: list[Point], areas: bool = True) -> dict[str, Any]:
    named = draw(st.lists(st.sampled_from(MATERIALS), max_size=2))  # often none: every good
    return incident(
        severity=draw(st.sampled_from([*SEVERITIES, None])),
        countries=draw(st.lists(st.sampled_from(COUNTRIES), max_size=2)) if areas else [],
        places=draw(st.lists(places(anchors, areas), max_size=3)),
        materials=[{"name": m} if draw(st.booleans()) else m for m in named],
        area=draw(st.lists(shapes(anchors), max_size=2)),
        routine=draw(st.sampled_from([False, False, True])),
    )


@st.composite
def worlds(draw: st.DrawFn, areas: bool = True) -> tuple[list[WatchSpec], list[dict[str, Any]]]:
    """Return watches keyed w0, w1, … and a few incidents around the same anchors."""
    anchors = draw(anchor_lists)
    fields = draw(st.lists(watch_fields(anchors, areas), max_size=15))
    incs = draw(st.lists(incidents(anchors, areas), min_size=1, max_size=4))
    return [spec(f"w{i}", **kw) for i, kw in enumerate(fields)], incs


def indexed(specs: Any) -> WatchIndex:
    index = WatchIndex()
    for s in specs:
        index.put(s)
    return index


@fuzz
@given(world=st.one_of(worlds(), worlds(areas=False)))
def test_hits_are_the_watches_a_full_scan_matches_and_match_explains_them_alike(
    world: Any,
) -> None:
    specs, incs = world
    index = indexed(specs)
    for inc in incs:
        expected = scan(specs, inc)
        assert index.hits(inc) == {m.spec.key for m in expected}
        assert index.match(inc) == expected


def test_a_site_across_the_antimeridian_is_hit_and_a_far_one_is_not() -> None:
    index = indexed([
        spec("w1", sites=(SiteSpec(-17.0, 179.9, 50, "suva"),)),
        spec("w2", sites=(SiteSpec(-17.0, -179.2, 50, "levuka"),)),  # in the cell, 64 km off
        spec("w3", sites=(SiteSpec(-17.0, 178.0, 50, "nadi"),)),
    ])  # fmt: skip
    fiji = incident(countries=[], materials=[], places=[
        {"name": "Vanua Levu", "kind": "city", "lat": -17.1, "lon": -179.8}])  # fmt: skip
    assert index.hits(fiji) == {"w1"}
    assert index.match(fiji)[0].places == ("site suva: 34 km from Vanua Levu",)


@fuzz
@given(pair=anchor_lists.flatmap(lambda a: st.tuples(points(a), points(a))),
       reach=st.sampled_from([0.999999, 1.0, 1.000001]) | st.floats(0.9, 1.1))  # fmt: skip
def test_a_point_is_near_a_site_when_its_haversine_distance_is_within_the_radius(
    pair: tuple[Point, Point], reach: float
) -> None:
    (lat, lon), (plat, plon) = pair
    km = haversine_km(lat, lon, plat, plon)
    site = SiteSpec(lat, lon, km * reach)
    assert (near(site, [(plat, plon, "p")]) is not None) == (km <= site.radius_km)


def filed(tree: Any) -> Iterator[str]:
    """Yield every key filed anywhere in the index, as often as it is filed."""
    if isinstance(tree, set):
        yield from tree
    else:
        for sub in tree.values():
            yield from filed(sub)


@fuzz
@given(data=st.data())
def test_puts_and_removes_leave_each_live_watch_filed_as_often_as_it_should_be(
    data: st.DataObject,
) -> None:
    anchors = data.draw(anchor_lists)
    index, live = WatchIndex(), {}
    for key in data.draw(st.lists(st.sampled_from(["w1", "w2", "w3"]), max_size=12)):
        if data.draw(st.booleans()):
            live[key] = spec(key, **data.draw(watch_fields(anchors)))
            index.put(live[key])
        else:
            live.pop(key, None)
            index.remove(key)
    assert index.specs == live
    # Under each place: once per material (or `*`), and once more under EVERY.
    times = {k: len(index._place_keys(s)) * (len(s.materials or "*") + 1) for k, s in live.items()}
    assert Counter(filed(index._index)) == Counter(times)  # nothing stale, nothing twice
    for inc in data.draw(st.lists(incidents(anchors), min_size=1, max_size=3)):
        assert index.hits(inc) == {m.spec.key for m in scan(live.values(), inc)}
    for key in list(live):
        index.remove(key)
    assert not index._index


def test_a_shut_container_terminal_hits_every_good_that_passes_there() -> None:
    index = WatchIndex()
    index.put(spec("w1", countries=frozenset({"BE"}), materials=frozenset({"cocoa"})))
    index.put(spec("w2", countries=frozenset({"NL"}), materials=frozenset({"cocoa"})))
    terminal = incident(materials=[{"name": "containers"}, {"name": "coffee"}])
    hits = index.match(terminal)
    assert [(m.spec.key, m.materials) for m in hits] == [("w1", ("cocoa",))]
    assert hits == scan(list(index.specs.values()), terminal)
    assert index.match(incident(materials=[{"name": "coffee"}])) == []  # a good is still a filter


# The thunderstorm polygon of the OASIS CAP example (tests/fixtures/cap/oasis/example2.xml);
# its centroid (38.484, -119.935) is the incident's only point.
STORM = {"kind": "polygon", "points": [[38.47, -120.14], [38.34, -119.95], [38.52, -119.74],
                                       [38.62, -119.89]]}  # fmt: skip
CENTROID = {"name": "storm", "kind": "city", "lat": 38.48401, "lon": -119.93462}


def test_a_site_inside_the_hazard_area_is_hit_and_one_outside_is_not() -> None:
    index = indexed([
        spec("w1", sites=(SiteSpec(38.55, -119.80, 5, "inside, 13 km from the centroid"),)),
        spec("w2", sites=(SiteSpec(38.20, -119.95, 10, "31 km south"),)),
        spec("w3", sites=(SiteSpec(38.20, -119.95, 40, "31 km south, 40 km reach"),)),
    ])  # fmt: skip
    storm = incident(countries=[], materials=[], places=[CENTROID], area=[STORM])
    assert index.hits(storm) == {"w1", "w3"}
    found = {m.spec.key: m.places for m in index.match(storm)}
    assert found["w1"] == ("site inside, 13 km from the centroid: inside the hazard area",)
    assert found["w3"] == ("site 31 km south, 40 km reach: 16 km from the hazard area",)
    # Without its area the incident is a point again: the site 13 km off with 5 km reach is out.
    assert index.hits({**storm, "area": []}) == {"w3"}


def test_a_quakes_shaking_radius_reaches_sites_beyond_their_own_radius() -> None:
    index = indexed([spec("w1", sites=(SiteSpec(36.0, 140.0, 50, "plant"),))])
    epicentre = {"name": "M7.1", "kind": "city", "lat": 37.0, "lon": 141.5}  # 172 km away
    quake = incident(countries=[], materials=[], places=[epicentre])
    assert index.hits(quake) == set()
    shaking = {"kind": "circle", "lat": 37.0, "lon": 141.5, "radius_km": 170.6}
    assert index.hits({**quake, "area": [shaking]}) == {"w1"}


def test_a_routine_warning_alerts_only_the_watches_that_ask_for_it() -> None:
    wants = spec("w1", countries=frozenset({"PL"}), routine_warnings=True)
    index = indexed([wants, spec("w2", countries=frozenset({"PL"})),
                     spec("w3", countries=frozenset({"PL"}), min_severity="low",
                          materials=frozenset({"semiconductors"}))])  # fmt: skip
    yellow = incident(countries=["PL"], places=[], materials=[], severity="medium", routine=True)
    assert index.hits(yellow) == {"w1"} and [m.spec.key for m in index.match(yellow)] == ["w1"]
    assert index.hits({**yellow, "routine": False}) == {"w1", "w2", "w3"}


def test_an_area_too_large_to_search_by_cell_still_matches_what_a_scan_does() -> None:
    specs = [spec("w1", sites=(SiteSpec(10.0, 10.0, 5),)), spec("w2", sites=(SiteSpec(0, 0, 5),)),
             spec("w3", countries=frozenset({"BE"}))]  # fmt: skip
    world = {"kind": "bbox", "bbox": [-170.0, -60.0, 170.0, 60.0]}
    away = {"kind": "bbox", "bbox": [20.0, 20.0, 170.0, 80.0]}
    for area in ([world], [away]):
        inc = incident(countries=[], places=[], materials=[], area=area)
        assert indexed(specs).match(inc) == scan(specs, inc)
    assert indexed(specs).hits(incident(countries=[], places=[], area=[world])) == {"w1", "w2"}


def test_a_watch_rows_routine_flag_reaches_its_spec() -> None:
    from types import SimpleNamespace

    from monitor.matching.watches import watch_spec

    row = SimpleNamespace(id=4, buyer_id=1, name="", materials=[], countries=["PL"],
                          subdivisions=[], lanes=[], sites=[], min_severity="medium")  # fmt: skip
    assert watch_spec(row).routine_warnings is False
    row.routine_warnings = True
    assert watch_spec(row).routine_warnings is True
