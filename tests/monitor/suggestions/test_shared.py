"""Suggestions for every buyer an incident alerts: one shared read, each buyer's own ranking."""

from __future__ import annotations

import random

from sqlmodel import select

from monitor import db
from monitor.models import Buyer, BuyerSupplier, Supplier
from monitor.settings import Settings
from monitor.suggestions import AffectedArea, Need, for_buyers, for_incident, suggest
from monitor.suggestions.baseline import filtered_scan
from monitor.suggestions.shared import contexts, suggest_for_buyers
from monitor.suppliers import service
from monitor.suppliers.demo import _cities_by_country
from monitor.suppliers.models import SupplierCreate
from tests.builders import statements

COUNTRIES = ["GH", "CI", "EC", "PE", "BR", "ID", "CM", "NG"]


def directory(settings: Settings, rng: random.Random, count: int = 500) -> None:
    """Add `count` random cocoa/coffee suppliers; the best-scoring ones crowd into Ghana."""
    rows = []
    for i in range(count):
        country = "GH" if i % 3 == 0 else rng.choice(COUNTRIES)
        city, lat, lon = rng.choice(_cities_by_country()[country])
        rows.append(
            SupplierCreate(
                name=f"S{i}",
                country=country,
                city=city,
                lat=lat,
                lon=lon,
                materials=rng.choice((["cocoa"], ["cocoa", "coffee"], ["coffee"])),
                capacity_monthly=80 if country == "GH" else rng.choice((None, 5, 20, 80)),
                lead_time_days=10 if country == "GH" else rng.choice((None, 10, 30, 60)),
                size_class="micro" if country == "GH" else rng.choice(("small", "medium")),
                certifications=rng.choice(([], ["organic"])),
            )
        )
    with db.session_scope(settings) as s:
        service.bulk_insert(session=s, suppliers=rows)


def buyers(settings: Settings, rng: random.Random, count: int) -> list[int]:
    """Add buyers, each linked to 0-40 random suppliers (many of them Ghanaian)."""
    ids = []
    with db.session_scope(settings) as s:
        suppliers = sorted(x for x in s.exec(select(Supplier.id)) if x)
        for i in range(count):
            b = Buyer(name=f"buyer {i}")
            s.add(b)
            s.flush()
            assert b.id is not None
            ids.append(b.id)
            for sid in rng.sample(suppliers, k=rng.choice((0, 3, 10, 40))):
                s.add(BuyerSupplier(buyer_id=b.id, supplier_id=sid))
    return ids


def test_each_buyer_gets_the_full_scan_ranking(db_settings: Settings) -> None:
    rng = random.Random(3)
    directory(db_settings, rng)
    ids = buyers(db_settings, rng, 30)
    read_more = 0
    for i in range(6):
        country = rng.choice(COUNTRIES)
        _, lat, lon = rng.choice(_cities_by_country()[country])
        areas = [AffectedArea(None, lat=lat, lon=lon, radius_km=300)]
        areas += [AffectedArea(rng.choice(COUNTRIES[1:]))] if i % 2 else []
        material = rng.choice(("cocoa", "coffee"))
        with db.session_scope(db_settings) as s:
            ctx = contexts(s, ids, areas, db_settings)
            got = suggest_for_buyers(material, areas, ctx, 3, session=s, settings=db_settings)
            for buyer in ids:
                want = filtered_scan(session=s, material=material, areas=areas, need=Need(),
                                     buyer=buyer, settings=db_settings, limit=3)  # fmt: skip
                assert [(x.supplier.supplier_id, x.score) for x in got[buyer].suggestions] == want
                alone = suggest(material, areas, buyer, 3, session=s, settings=db_settings)
                assert got[buyer].to_dict() | {"candidates": 0} == alone.to_dict() | {
                    "candidates": 0
                }
                read_more += got[buyer].candidates > 100
    assert read_more  # some buyer's list was not final in the first page


def test_a_buyer_with_no_alternative_gets_the_near_misses(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        only = service.upsert(
            session=s,
            data=SupplierCreate(name="Only", country="GH", materials=["cocoa"], size_class="micro"),
        )[0]
        b = Buyer(name="exposed")
        s.add(b)
        s.flush()
        assert b.id is not None and only.id is not None
        s.add(BuyerSupplier(buyer_id=b.id, supplier_id=only.id))
        buyer = b.id
    tagged = {"countries": ["GH"], "places": [], "materials": ["cocoa"]}
    with db.session_scope(db_settings) as s:
        got = for_buyers(session=s, wants={buyer: ["cocoa"], 999: ["cocoa"]},
                         places=tagged["places"], countries=tagged["countries"],
                         settings=db_settings)  # fmt: skip
        alone = for_incident(session=s, materials=["cocoa"], countries=["GH"], buyer=buyer,
                             settings=db_settings)  # fmt: skip
    assert got[buyer] == alone
    assert got[buyer][0]["partial_matches"][0]["name"] == "Only"
    assert got[999] == []  # a buyer no longer in the database gets none, and the rest still do


def test_queries_grow_with_materials_not_with_buyers(db_settings: Settings) -> None:
    rng = random.Random(9)
    directory(db_settings, rng, count=300)
    ids = buyers(db_settings, rng, 60)
    wants = {b: ["cocoa", "coffee"] if i % 2 else ["cocoa"] for i, b in enumerate(ids)}
    with db.session_scope(db_settings) as s, statements(db_settings) as seen:
        got = for_buyers(session=s, wants=wants, countries=["CI"], settings=db_settings)
    assert [len(got[b]) for b in ids] == [len(wants[b]) for b in ids]
    assert len(seen) < 20, seen  # one suggest() per buyer and material would be 90 or more
