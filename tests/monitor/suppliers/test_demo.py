"""The demo directory: reproducible, varied, clearly marked, loaded idempotently."""

from __future__ import annotations

from sqlmodel import func, select

from monitor import db
from monitor.models import Supplier, SupplierMaterial
from monitor.settings import Settings
from monitor.suppliers import demo


def test_same_seed_same_directory_and_marked_as_demo() -> None:
    first = list(demo.generate(count=400, seed=3))
    assert first == list(demo.generate(count=400, seed=3))
    assert first != list(demo.generate(count=400, seed=4))
    assert len({s.country for s in first}) >= 40
    assert len({m for s in first for m in s.materials}) >= 60
    assert all(s.is_demo and s.notes == demo.DEMO_NOTE and "demo" in s.name for s in first)
    assert {s.size_class for s in first} == {"micro", "small", "medium"}


def test_load_twice_updates_instead_of_duplicating(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        assert demo.load(session=s, count=120, seed=1) == (120, 0)
    with db.session_scope(db_settings) as s:
        assert demo.load(session=s, count=150, seed=1) == (30, 120)
    with db.session_scope(db_settings) as s:
        assert s.exec(select(func.count()).select_from(Supplier)).one() == 150
        materials = s.exec(select(func.count()).select_from(SupplierMaterial)).one()
    assert materials == sum(len(x.materials) for x in demo.generate(count=150, seed=1))
