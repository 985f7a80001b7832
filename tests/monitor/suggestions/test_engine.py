"""Alternative-supplier suggestions: every ranking factor, exclusions, substitutes, empty case."""

from __future__ import annotations

from typing import Any

import pytest

from monitor import db
from monitor.errors import MonitorError
from monitor.models import Buyer
from monitor.settings import Settings
from monitor.suggestions import AffectedArea, Need, SuggestionResult, areas_from_tagged, suggest
from monitor.suggestions.scoring import PARTS
from monitor.suppliers import service
from monitor.suppliers.models import SupplierCreate

ABIDJAN = (5.35, -4.00)


def add(settings: Settings, name: str, country: str, **fields: Any) -> int:
    """Add a supplier with neutral defaults; return its id."""
    values: dict[str, Any] = {
        "name": name,
        "country": country,
        "materials": ["cocoa"],
        "capacity_monthly": 50,
        "lead_time_days": 30,
        "size_class": "small",
    }
    with db.session_scope(settings) as s:
        sup, _ = service.upsert(session=s, data=SupplierCreate.model_validate(values | fields))
        assert sup.id is not None
        return sup.id


def run(
    settings: Settings, material: str = "cocoa", areas: Any = (), **kw: Any
) -> SuggestionResult:
    with db.session_scope(settings) as s:
        return suggest(material, list(areas), session=s, settings=settings, **kw)


def names(result: SuggestionResult) -> list[str]:
    return [x.supplier.name for x in result.suggestions]


def test_affected_countries_are_excluded(db_settings: Settings) -> None:
    add(db_settings, "Ivorian", "CI")
    add(db_settings, "Ghanaian", "GH")
    add(db_settings, "Ecuadorian", "EC")
    result = run(db_settings, areas=[AffectedArea("CI"), AffectedArea("GH")])
    assert names(result) == ["Ecuadorian"]
    assert result.message == "1 alternative supplier of cocoa outside CI; GH"


def test_subdivision_and_radius_are_excluded(db_settings: Settings) -> None:
    add(db_settings, "Ashanti", "GH", subdivision="GH-AH")
    add(db_settings, "Volta", "GH", subdivision="GH-TV")
    add(db_settings, "Near port", "CI", lat=5.60, lon=-4.30)  # about 43 km from Abidjan
    add(db_settings, "Far inland", "CI", lat=6.80, lon=-5.27)  # about 215 km away
    add(db_settings, "Unplaced", "CI")
    areas = [
        AffectedArea("GH", subdivision="GH-AH"),
        AffectedArea("CI", lat=ABIDJAN[0], lon=ABIDJAN[1], name="Abidjan port"),
    ]
    result = run(db_settings, areas=areas)
    assert sorted(names(result)) == ["Far inland", "Unplaced", "Volta"]
    wide = run(db_settings, areas=[AffectedArea("CI", lat=5.35, lon=-4.0, radius_km=300)])
    assert sorted(names(wide)) == ["Ashanti", "Unplaced", "Volta"]


def test_radius_exclusion_is_explained_in_partial_matches(db_settings: Settings) -> None:
    add(db_settings, "Near port", "CI", lat=5.60, lon=-4.30)
    area = AffectedArea("CI", lat=ABIDJAN[0], lon=ABIDJAN[1], name="Abidjan port")
    result = run(db_settings, areas=[area])
    assert result.suggestions == []
    (near,) = result.partial_matches
    assert near.shortfalls == ["43 km from Abidjan port, inside the 100 km radius"]


def test_substitutes_are_offered_and_scored_below_the_material(db_settings: Settings) -> None:
    add(db_settings, "Palm mill", "MY", materials=["palm oil"])
    add(db_settings, "Sunflower press", "UA", materials=["sunflower oil"])
    add(db_settings, "Olive press", "ES", materials=["olive oil"])
    result = run(db_settings, material="crude palm oil")
    assert result.substitutes == ["sunflower oil", "rapeseed oil"]
    assert names(result) == ["Palm mill", "Sunflower press"]
    palm, sun = result.suggestions
    assert palm.parts["material"] > sun.parts["material"]
    assert sun.reasons[0] == "offers sunflower oil, an accepted substitute for palm oil"
    only_subs = run(db_settings, material="palm oil", areas=[AffectedArea("MY")])
    assert names(only_subs) == ["Sunflower press"]


def test_capacity_is_required_and_headroom_ranks_higher(db_settings: Settings) -> None:
    add(db_settings, "Tight", "EC", capacity_monthly=30)
    add(db_settings, "Roomy", "PE", capacity_monthly=80)
    add(db_settings, "Too small", "BR", capacity_monthly=10)
    add(db_settings, "Big minimum", "CO", capacity_monthly=500, min_order=100)
    result = run(db_settings, need=Need(quantity=30))
    assert names(result) == ["Roomy", "Tight"]
    assert result.suggestions[0].parts["capacity"] > result.suggestions[1].parts["capacity"]
    assert "covers the 30 needed (2.7×)" in " ".join(result.suggestions[0].reasons)


def test_lead_time_is_required_and_shorter_ranks_higher(db_settings: Settings) -> None:
    add(db_settings, "Slow", "EC", lead_time_days=40)
    add(db_settings, "Quick", "PE", lead_time_days=10)
    add(db_settings, "Too slow", "BR", lead_time_days=90)
    result = run(db_settings, need=Need(max_lead_days=45))
    assert names(result) == ["Quick", "Slow"]
    assert "lead time 10 days (limit 45)" in result.suggestions[0].reasons


def test_small_producers_rank_higher(db_settings: Settings) -> None:
    add(db_settings, "Medium", "EC", size_class="medium")
    add(db_settings, "Micro", "PE", size_class="micro")
    add(db_settings, "Small", "BR", size_class="small")
    assert names(run(db_settings)) == ["Micro", "Small", "Medium"]


def test_requested_certifications_rank_higher(db_settings: Settings) -> None:
    add(db_settings, "Plain", "EC")
    add(db_settings, "Organic", "PE", certifications=["organic"])
    result = run(db_settings, need=Need(certifications=["Organic"]))
    assert names(result) == ["Organic", "Plain"]
    assert "has requested certification organic" in result.suggestions[0].reasons
    assert "lacks requested certification organic" in result.suggestions[1].reasons


def test_buyer_diversification_and_exposed_suppliers(db_settings: Settings) -> None:
    exposed = add(db_settings, "Current Ivorian", "CI")
    current = add(db_settings, "Current Ecuadorian", "EC")
    add(db_settings, "New Peruvian", "PE")
    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="Chocolaterie")
        s.add(buyer)
        s.flush()
        assert buyer.id is not None
        buyer_id = buyer.id
    for sid in (exposed, current):
        add_link(db_settings, buyer_id, sid)
    result = run(db_settings, areas=[AffectedArea("CI")], buyer=buyer_id)
    assert names(result) == ["New Peruvian", "Current Ecuadorian"]
    peru, ecuador = result.suggestions
    assert peru.parts["diversification"] > ecuador.parts["diversification"]
    assert "adds a new sourcing country for you (Peru)" in peru.reasons
    assert "you already buy 50% from Ecuador" in ecuador.reasons
    assert "already one of your suppliers, outside the affected area" in ecuador.reasons
    # With a volume nobody can take, the exposed current supplier shows up as a near miss:
    point = run(db_settings, areas=[AffectedArea("CI")], buyer=buyer_id, need=Need(quantity=999))
    reasons = {p.supplier.name: p.shortfalls for p in point.partial_matches}
    assert "already one of your exposed suppliers" in reasons["Current Ivorian"]


def add_link(settings: Settings, buyer_id: int, supplier_id: int) -> None:
    from monitor.models import BuyerSupplier

    with db.session_scope(settings) as s:
        s.add(BuyerSupplier(buyer_id=buyer_id, supplier_id=supplier_id))


def test_weights_are_settings(db_settings: Settings) -> None:
    add(db_settings, "Micro plain", "EC", size_class="micro")
    add(db_settings, "Medium organic", "PE", size_class="medium", certifications=["organic"])
    need = Need(certifications=["organic"])
    # The weights sum to 1: the certifications' share goes to the material (the same for both).
    ignored = db_settings.updated(suggestions={"weight_certifications": 0, "weight_material": 0.4})
    nothing_else = {f"weight_{p}": 0 for p in PARTS if p != "certifications"}
    heavy = db_settings.updated(suggestions={**nothing_else, "weight_certifications": 1})
    with db.session_scope(db_settings) as s:
        assert names(suggest("cocoa", [], session=s, settings=ignored, need=need))[0] == (
            "Micro plain"
        )
        result = suggest("cocoa", [], session=s, settings=heavy, need=need)
    assert names(result)[0] == "Medium organic"
    assert result.suggestions[0].parts["certifications"] == 1.0
    assert result.suggestions[0].score == pytest.approx(sum(result.suggestions[0].parts.values()))


def test_empty_case_says_so_and_lists_partial_matches(db_settings: Settings) -> None:
    add(db_settings, "Ivorian", "CI", capacity_monthly=100)
    add(db_settings, "Small Ecuadorian", "EC", capacity_monthly=5)
    result = run(db_settings, areas=[AffectedArea("CI")], need=Need(quantity=40))
    assert result.suggestions == []
    assert result.message.startswith("no alternative supplier of cocoa outside CI")
    shortfalls = {p.supplier.name: p.shortfalls for p in result.partial_matches}
    assert shortfalls == {
        "Small Ecuadorian": ["capacity 5/month < 40 needed"],
        "Ivorian": ["inside the affected country CI"],
    }
    assert run(db_settings, material="vanilla").message == (
        "no supplier of vanilla is in the directory at all"
    )


def test_unknown_material_and_buyer_are_clear_errors(db_settings: Settings) -> None:
    with pytest.raises(MonitorError, match="unknown material 'unobtainium'"):
        run(db_settings, material="unobtainium")
    with pytest.raises(MonitorError, match="no buyer with id 42"):
        run(db_settings, buyer=42)


def test_limit_and_result_serialise(db_settings: Settings) -> None:
    for i, country in enumerate(["EC", "PE", "BR", "CO"]):
        add(db_settings, f"S{i}", country, lead_time_days=10 + i)
    result = run(db_settings, limit=2)
    assert names(result) == ["S0", "S1"]
    data = result.to_dict()
    assert data["suggestions"][0]["parts"]["size"] == pytest.approx(0.12)
    assert data["suggestions"][0]["country"] == "EC"


def test_the_public_schema_carries_every_key_of_a_result(db_settings: Settings) -> None:
    from pydantic import TypeAdapter

    from monitor.suggestions.result import Suggestions

    add(db_settings, "Small Peruvian", "PE", capacity_monthly=5)
    answer = TypeAdapter(Suggestions)
    for need in (Need(), Need(quantity=40)):  # a suggestion, then only a partial match
        data = run(db_settings, need=need).to_dict()
        assert len(data["suggestions"] + data["partial_matches"]) == 1
        for row in data["suggestions"] + data["partial_matches"]:
            row.setdefault("shortfalls", [])  # the API always says it, empty or not
        assert answer.dump_python(answer.validate_python(data)) == data


def test_areas_from_tagger_output() -> None:
    places = [
        {"name": "Antwerp", "country": "BE", "kind": "port", "lat": 51.22, "lon": 4.40},
        {"name": "Ghana", "country": "GH", "kind": "country"},
        {"name": "Ashanti", "country": "GH", "kind": "region", "subdivision": "gh-ah"},
    ]
    areas = areas_from_tagged(places=places, countries=["BE", "GH", "CI"])
    assert areas == [
        AffectedArea("BE", lat=51.22, lon=4.40, name="Antwerp"),
        AffectedArea("GH", name="Ghana"),
        AffectedArea("GH", subdivision="GH-AH", name="Ashanti"),
        AffectedArea("CI"),
    ]
    assert [a.whole_country for a in areas] == [None, "GH", None, "CI"]
    assert areas[0].label(100) == "100 km around Antwerp"


def test_batched_ranking_equals_a_filtered_scan(db_settings: Settings) -> None:
    import random

    from monitor.suggestions.baseline import filtered_scan
    from monitor.suppliers.demo import _cities_by_country

    rng = random.Random(5)
    countries = ["GH", "CI", "EC", "PE", "BR", "ID", "CM", "NG"]
    rows = []
    for i in range(400):
        country = rng.choice(countries)
        city, lat, lon = rng.choice(_cities_by_country()[country])
        rows.append(
            SupplierCreate(
                name=f"S{i}",
                country=country,
                city=city,
                lat=lat,
                lon=lon,
                materials=rng.choice((["cocoa"], ["cocoa", "coffee"], ["wheat"], ["corn"])),
                capacity_monthly=rng.choice((None, 5, 20, 80)),
                min_order=rng.choice((None, 10)),
                lead_time_days=rng.choice((None, 10, 30, 60)),
                size_class=rng.choice(("micro", "small", "medium")),
                certifications=rng.choice(([], ["organic"], ["fair trade", "organic"])),
            )
        )
    # The best-scoring suppliers all sit near Kumasi, so a radius there hides a whole batch.
    best = {
        "country": "GH",
        "lat": 6.69,
        "lon": -1.62,
        "materials": ["cocoa"],
        "capacity_monthly": 80,
        "lead_time_days": 10,
        "size_class": "micro",
    }
    rows += [SupplierCreate(name=f"Top{i}", **best) for i in range(150)]
    with db.session_scope(db_settings) as s:
        service.bulk_insert(session=s, suppliers=rows)
    read_many = 0
    for i in range(15):
        country = rng.choice(countries)
        _, lat, lon = (None, 6.69, -1.62) if i == 0 else rng.choice(_cities_by_country()[country])
        areas = [AffectedArea(None, lat=lat, lon=lon, radius_km=300)]
        areas += [AffectedArea(rng.choice(countries))] if i else []
        need = Need(
            quantity=rng.choice((None, 10)),
            max_lead_days=rng.choice((None, 45)),
            certifications=rng.choice(((), ("organic",))),
        )
        material = "cocoa" if i == 0 else rng.choice(("cocoa", "wheat"))
        with db.session_scope(db_settings) as s:
            got = suggest(material, areas, session=s, need=need, settings=db_settings)
            want = filtered_scan(
                session=s,
                material=material,
                areas=areas,
                need=need,
                buyer=None,
                settings=db_settings,
            )
        assert [(x.supplier.supplier_id, x.score) for x in got.suggestions] == want
        read_many += got.candidates > 100
    assert read_many  # at least one query needed a second batch


def test_for_incident_takes_tagger_output_as_is(db_settings: Settings) -> None:
    from monitor.suggestions import for_incident

    add(db_settings, "Ivorian", "CI")
    add(db_settings, "Ecuadorian", "EC")
    add(db_settings, "Ghana coffee", "GH", materials=["coffee"])
    tagged = {
        "countries": ["CI"],
        "places": [{"name": "Abidjan", "country": "CI", "kind": "port", "lat": 5.35, "lon": -4.0}],
        "materials": [{"name": "cocoa", "hs": "1801"}, {"name": "coffee"}, {"name": "moon dust"}],
    }
    with db.session_scope(db_settings) as s:
        out = for_incident(
            session=s,
            materials=tagged["materials"],
            places=tagged["places"],
            countries=tagged["countries"],
            settings=db_settings,
        )
    assert [r["material"] for r in out] == ["cocoa", "coffee"]
    # The port is a point: the rest of Côte d'Ivoire (unplaced "Ivorian") stays eligible.
    assert {x["name"] for x in out[0]["suggestions"]} == {"Ecuadorian", "Ivorian"}
    assert out[0]["excluded"] == ["100 km around Abidjan"]
    assert out[1]["suggestions"][0]["name"] == "Ghana coffee"
