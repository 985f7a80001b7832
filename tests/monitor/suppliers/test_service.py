"""Service functions keep the ranking copies on supplier_materials in step with the supplier."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import select

from monitor import db
from monitor.errors import MonitorError
from monitor.models import SupplierMaterial
from monitor.settings import Settings
from monitor.suppliers import service
from monitor.suppliers.formats import guess_format
from monitor.suppliers.schema import SupplierCreate, SupplierUpdate


def test_update_refreshes_the_material_rows(db_settings: Settings) -> None:
    data = SupplierCreate(name="Coop", country="GH", materials=["cocoa", "coffee"],
                          capacity_monthly=10, size_class="small")  # fmt: skip
    with db.session_scope(db_settings) as s:
        sup, created = service.upsert(session=s, data=data)
        assert created
        sid = sup.id
        assert sid is not None
    change = SupplierUpdate(capacity_monthly=90, size_class="micro", certifications=["FSC"])
    with db.session_scope(db_settings) as s:
        assert service.update(session=s, supplier_id=sid, data=change) is not None
    with db.session_scope(db_settings) as s:
        rows = s.exec(select(SupplierMaterial).order_by(SupplierMaterial.material)).all()
        shown = service.get_public(session=s, supplier_id=sid)
    assert [(r.material, r.capacity_monthly, r.size_class, r.certifications) for r in rows] == [
        ("cocoa", 90.0, "micro", ["FSC"]),
        ("coffee", 90.0, "micro", ["FSC"]),
    ]
    assert shown is not None
    assert (shown.materials, shown.capacity_monthly) == (["cocoa", "coffee"], 90.0)
    with db.session_scope(db_settings) as s:
        service.update(session=s, supplier_id=sid, data=SupplierUpdate(materials=["tea"]))
        assert service.delete_supplier(session=s, supplier_id=sid)
        assert not service.delete_supplier(session=s, supplier_id=sid)
        assert service.update(session=s, supplier_id=sid, data=change) is None


def test_format_is_taken_from_the_suffix_or_refused() -> None:
    assert guess_format(Path("a.JSONL"), None) == "json"
    assert guess_format(Path("a.xlsx"), "csv") == "csv"
    with pytest.raises(MonitorError, match="pass --format"):
        guess_format(Path("a.xlsx"), None)
    with pytest.raises(MonitorError, match="unknown format 'xml'"):
        guess_format(Path("a.csv"), "xml")
