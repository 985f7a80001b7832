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
from monitor.suppliers.models import SupplierCreate, SupplierUpdate


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


def test_only_an_admin_sees_every_buyer_of_a_supplier() -> None:
    from datetime import UTC, datetime

    from monitor.keys.service import Principal
    from monitor.suppliers.models import SupplierPublic

    now = datetime(2026, 1, 1, tzinfo=UTC)
    sup = SupplierPublic(id=1, name="Coop", country="GH", materials=["cocoa"], certifications=[],
                         buyer_ids=[3, 7], created_at=now, updated_at=now)  # fmt: skip

    def seen_by(role: str, buyer_id: int | None = None) -> list[int]:
        who = Principal(key_id=1, role=role, buyer_id=buyer_id)
        return service.shown_to(sup, who=who).buyer_ids

    assert seen_by("admin") == [3, 7]
    assert seen_by("buyer", 7) == [7]
    assert seen_by("buyer", 9) == []
    assert seen_by("operator") == seen_by("viewer") == []


def test_the_directory_filters_refuse_an_unknown_buyer_or_material(db_settings: Settings) -> None:
    from monitor.errors import InvalidInput, NotFound
    from monitor.keys.service import Principal

    admin = Principal(key_id=1, role="admin", buyer_id=None)
    data = SupplierCreate(name="Coop", country="GH", materials=["cocoa"])
    with db.session_scope(db_settings) as s:
        service.create(session=s, data=data)
        rows, total = service.list_shown(session=s, who=admin, country="gh", material="1801",
                                         limit=10)  # fmt: skip
        assert ([r.name for r in rows], total) == (["Coop"], 1)
        with pytest.raises(NotFound):
            service.list_shown(session=s, who=admin, buyer_id=999, limit=10)
        with pytest.raises(InvalidInput):
            service.list_shown(session=s, who=admin, material="unobtainium", limit=10)
        with pytest.raises(MonitorError, match="PATCH it instead"):
            service.create(session=s, data=data)
