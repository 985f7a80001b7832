"""Importing supplier files: bad rows reported by line, good rows kept, re-import idempotent."""

from __future__ import annotations

import io
import json

from sqlmodel import func, select

from monitor import db
from monitor.models import Buyer, BuyerSupplier, Supplier, SupplierMaterial
from monitor.settings import Settings
from monitor.suppliers.importer import import_file, import_stream
from tests.samples import OSH, PROJECT


def _count(settings: Settings, model: type) -> int:
    with db.session_scope(settings) as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_bad_rows_are_reported_by_line_with_the_reason(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        report = import_file(session=s, path=PROJECT)
    errors = {e.where: e.reason for e in report.errors}
    assert set(errors) == {"line 4", "line 5", "line 6", "line 7", "line 8", "line 11"}
    assert "unknown country 'ZZ'" in errors["line 4"]
    assert "unknown material 'unobtainium'" in errors["line 5"]
    assert "size class 'large'" in errors["line 6"]
    assert "both lat and lon" in errors["line 7"]
    assert errors["line 8"].startswith("name:")
    assert "capacity_monthly" in errors["line 11"]
    assert (report.created, report.updated) == (4, 0)


def test_good_rows_are_kept_and_geocoded_when_possible(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        report = import_file(session=s, path=PROJECT)
    warnings = {w.where: w.reason for w in report.warnings}
    assert warnings["line 3"].startswith("geocoded from Guayaquil")
    assert "'Nowhereville' in CO is not in the gazetteer" in warnings["line 10"]
    assert report.geocoded == 2
    with db.session_scope(db_settings) as s:
        by_id = {x.external_id: x for x in s.exec(select(Supplier)).all()}
        of_t2 = SupplierMaterial.supplier_id == by_id["t-002"].id
        mats = s.exec(select(SupplierMaterial).where(of_t2)).all()
    assert set(by_id) == {"t-001", "t-002", "t-008", "t-009"}
    assert by_id["t-002"].country == "EC"
    assert abs((by_id["t-002"].lat or 0) + 2.2) < 0.1
    assert by_id["t-009"].lat is None
    assert by_id["t-001"].certifications == ["fair trade", "organic"]
    assert {(m.material, m.hs, m.country) for m in mats} == {
        ("cocoa", "1801", "EC"),
        ("coffee", "0901", "EC"),
    }


def test_reimport_updates_instead_of_duplicating(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        import_file(session=s, path=PROJECT)
    with db.session_scope(db_settings) as s:
        again = import_file(session=s, path=PROJECT)
    assert (again.created, again.updated) == (0, 4)
    assert _count(db_settings, Supplier) == 4
    assert _count(db_settings, SupplierMaterial) == 5


def test_rows_without_external_id_are_matched_by_name_country_city(db_settings: Settings) -> None:
    text = "name,country,city,materials,lat,lon\nCoop A,GH,Kumasi,cocoa,6.7,-1.6\n"
    for _ in range(2):
        with db.session_scope(db_settings) as s:
            import_stream(session=s, stream=io.StringIO(text), fmt="csv")
    assert _count(db_settings, Supplier) == 1


def test_dry_run_validates_and_writes_nothing(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        report = import_file(session=s, path=PROJECT, dry_run=True)
    assert report.created == 4
    assert len(report.errors) == 6
    assert "would import 4 suppliers" in report.summary()
    assert _count(db_settings, Supplier) == 0


def test_open_supply_hub_export_is_mapped(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        report = import_file(session=s, path=OSH)
    assert report.source_format == "Open Supply Hub"
    errors = {e.where: e.reason for e in report.errors}
    assert "too large for a small-producer directory" in errors["line 4"]
    assert "no known material" in errors["line 6"]
    with db.session_scope(db_settings) as s:
        by_id = {x.external_id: x for x in s.exec(select(Supplier)).all()}
        dhaka = by_id["osh:BD2019085ABCDEF"]
        of_dhaka = SupplierMaterial.supplier_id == dhaka.id
        mats = set(s.exec(select(SupplierMaterial.material).where(of_dhaka)).all())
    assert mats == {"cotton", "textiles"}
    assert dhaka.size_class == "small"
    assert dhaka.lon == 90.41
    porto = by_id["osh:PT2020111GHIJKL"]
    assert porto.city == "Porto"
    assert porto.lat is not None
    assert porto.size_class == "micro"
    assert by_id["osh:IN2021333STUVWX"].size_class == "medium"
    assert any("may exceed 250" in w.reason for w in report.warnings)


def test_buyer_links_are_checked_and_kept(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="Chocolaterie")
        s.add(buyer)
        s.flush()
        lines = [
            json.dumps(
                {"name": "B", "country": "GH", "materials": ["cocoa"], "buyer_ids": [buyer.id]}
            ),
            '{"name": "Coop C", "country": "GH", "materials": ["cocoa"], "buyer_ids": [999]}',
            "{not json",
        ]
        report = import_stream(session=s, stream=io.StringIO("\n".join(lines)), fmt="json")
    assert str(report.errors[0]) == "line 2: buyer_ids: no buyer with id [999]"
    assert report.errors[1].where == "line 3"
    assert _count(db_settings, BuyerSupplier) == 1
