"""Service functions over the supplier directory (create, update, read, delete)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, delete, func, select

from monitor.columns import utcnow
from monitor.errors import Conflict, InvalidInput, NotFound
from monitor.keys.service import Principal
from monitor.models import Buyer
from monitor.suppliers.models import (
    BuyerSupplier,
    Supplier,
    SupplierCreate,
    SupplierMaterial,
    SupplierPublic,
    SupplierUpdate,
)
from monitor.vocab import materials as lexicon
from monitor.vocab import require_material

_COLUMNS = tuple(SupplierCreate.model_fields.keys() - {"materials", "certifications", "buyer_ids"})


def natural_key(data: SupplierCreate) -> str:
    """Return the key a re-import matches on: the external id, else name+country+city."""
    if data.external_id:
        return data.external_id
    basis = "|".join((data.name.casefold(), data.country, (data.city or "").casefold()))
    return "auto:" + hashlib.sha1(basis.encode()).hexdigest()[:20]


def missing_buyers(*, session: Session, buyer_ids: Sequence[int]) -> list[int]:
    """Return the ids among `buyer_ids` that name no buyer."""
    if not buyer_ids:
        return []
    found = set(session.exec(select(Buyer.id).where(col(Buyer.id).in_(buyer_ids))).all())
    return [b for b in buyer_ids if b not in found]


def upsert(*, session: Session, data: SupplierCreate) -> tuple[Supplier, bool]:
    """Create the supplier or update the one with the same key; return it and if it is new."""
    key = natural_key(data)
    supplier = session.exec(select(Supplier).where(Supplier.external_id == key)).first()
    created = supplier is None
    if supplier is None:
        supplier = Supplier(name=data.name, country=data.country)
    for name in _COLUMNS:
        setattr(supplier, name, getattr(data, name))
    supplier.external_id = key
    supplier.certifications = list(data.certifications)
    supplier.updated_at = utcnow()
    session.add(supplier)
    session.flush()
    assert supplier.id is not None
    # Buyer links change only when the input says so: a file without the column keeps them.
    buyers = data.buyer_ids if "buyer_ids" in data.model_fields_set else None
    _replace_links(session, supplier, data.materials, buyers)
    return supplier, created


def bulk_insert(*, session: Session, suppliers: Sequence[SupplierCreate], chunk: int = 5000) -> int:
    """Insert new suppliers fast (no existence checks, no buyer links); return how many."""
    suppliers_t = SQLModel.metadata.tables[Supplier.__tablename__]
    materials_t = SQLModel.metadata.tables[SupplierMaterial.__tablename__]
    now = utcnow()
    for start in range(0, len(suppliers), chunk):
        part = suppliers[start : start + chunk]
        rows = [
            {
                **{c: getattr(d, c) for c in _COLUMNS},
                "external_id": natural_key(d),
                "certifications": list(d.certifications),
                "created_at": now,
                "updated_at": now,
            }
            for d in part
        ]
        stmt = insert(suppliers_t).returning(suppliers_t.c.id, sort_by_parameter_order=True)
        ids = session.execute(stmt, rows).scalars().all()
        links = [
            material_row(sid, m, d) for sid, d in zip(ids, part, strict=True) for m in d.materials
        ]
        session.execute(insert(materials_t), links)
    return len(suppliers)


def update(*, session: Session, supplier_id: int, data: SupplierUpdate) -> Supplier | None:
    """Apply the fields given in `data` to a supplier; return None if it does not exist."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        return None
    changes = data.model_dump(exclude_unset=True)
    mats, buyers = changes.pop("materials", None), changes.pop("buyer_ids", None)
    for name, value in changes.items():
        setattr(supplier, name, value)
    supplier.updated_at = utcnow()
    session.add(supplier)
    session.flush()
    if mats is None:
        mats = list(
            session.exec(
                select(SupplierMaterial.material).where(SupplierMaterial.supplier_id == supplier_id)
            ).all()
        )
    _replace_links(session, supplier, mats, buyers)
    return supplier


def delete_supplier(*, session: Session, supplier_id: int) -> bool:
    """Delete a supplier with its materials and buyer links; return whether it existed."""
    supplier = session.get(Supplier, supplier_id)
    if supplier is None:
        return False
    session.delete(supplier)
    session.flush()
    return True


RANKING = ("country", "capacity_monthly", "min_order", "lead_time_days", "size_class")


def material_row(sid: int, material: str, source: SupplierCreate | Supplier) -> dict[str, Any]:
    """Return a supplier_materials row: the material plus the supplier's ranking columns."""
    row = {c: getattr(source, c) for c in RANKING}
    hs = lexicon()[material].hs if material in lexicon() else None
    return row | {
        "supplier_id": sid,
        "material": material,
        "hs": hs,
        "certifications": list(source.certifications),
    }


def _replace_links(
    session: Session, supplier: Supplier, mats: Sequence[str], buyers: Sequence[int] | None
) -> None:
    # Country and ranking columns are copied onto each material row: suggestions rank from
    # the (material, country) index without reading the suppliers table.
    sid = supplier.id
    assert sid is not None
    session.exec(delete(SupplierMaterial).where(col(SupplierMaterial.supplier_id) == sid))
    for m in mats:
        session.add(SupplierMaterial.model_validate(material_row(sid, m, supplier)))
    if buyers is not None:
        session.exec(delete(BuyerSupplier).where(col(BuyerSupplier.supplier_id) == sid))
        for b in buyers:
            session.add(BuyerSupplier(buyer_id=b, supplier_id=sid))
    session.flush()


def get_public(*, session: Session, supplier_id: int) -> SupplierPublic | None:
    """Return one supplier as shown to users, or None."""
    return next(iter(list_public(session=session, ids=[supplier_id])), None)


def list_public(
    *, session: Session, ids: Sequence[int] | None = None, batch: int = 1000
) -> Iterator[SupplierPublic]:
    """Yield suppliers (all, or those in `ids`) with their materials and buyers, by id."""
    last = 0
    while True:
        query = select(Supplier).where(col(Supplier.id) > last).order_by(col(Supplier.id))
        if ids is not None:
            query = query.where(col(Supplier.id).in_(ids))
        rows = session.exec(query.limit(batch)).all()
        if not rows:
            return
        page = [r.id for r in rows if r.id is not None]
        mats: defaultdict[int, list[str]] = defaultdict(list)
        buyers: defaultdict[int, list[int]] = defaultdict(list)
        for sm in session.exec(
            select(SupplierMaterial).where(col(SupplierMaterial.supplier_id).in_(page))
        ):
            mats[sm.supplier_id].append(sm.material)
        for bs in session.exec(
            select(BuyerSupplier).where(col(BuyerSupplier.supplier_id).in_(page))
        ):
            buyers[bs.supplier_id].append(bs.buyer_id)
        for r in rows:
            sid = r.id or 0
            yield SupplierPublic.model_validate(
                r, update={"materials": sorted(mats[sid]), "buyer_ids": sorted(buyers[sid])}
            )
        last = page[-1]


def count_suppliers(*, session: Session) -> int:
    """Return how many suppliers the directory holds."""
    return session.exec(select(func.count()).select_from(Supplier)).one()


def first_offering(*, session: Session, material: str, limit: int) -> list[tuple[int, str]]:
    """Return (id, country) of the first suppliers, by id, that offer a material."""
    rows = session.exec(
        select(SupplierMaterial.supplier_id, SupplierMaterial.country)
        .where(SupplierMaterial.material == material)
        .order_by(col(SupplierMaterial.supplier_id))
        .limit(limit)
    ).all()
    return [(supplier_id, country) for supplier_id, country in rows]


def link_buyer(*, session: Session, buyer_id: int, supplier_id: int) -> None:
    """Record that a buyer already buys from a supplier."""
    session.add(BuyerSupplier(buyer_id=buyer_id, supplier_id=supplier_id))


def shown_to(supplier: SupplierPublic, *, who: Principal) -> SupplierPublic:
    """Return the supplier as `who` may see it: an admin all of it, others not who buys there."""
    # Which buyers buy from a supplier is each buyer's own business: a buyer key sees only
    # itself among them, other non-admin keys see none.
    if who.role == "admin":
        return supplier
    mine = [b for b in supplier.buyer_ids if who.role == "buyer" and b == who.buyer_id]
    return supplier.model_copy(update={"buyer_ids": mine})


def get_shown(*, session: Session, supplier_id: int, who: Principal) -> SupplierPublic:
    """Return one supplier as `who` may see it; NotFound when there is none."""
    found = get_public(session=session, supplier_id=supplier_id)
    if found is None:
        raise NotFound(f"no supplier with id {supplier_id}")
    return shown_to(found, who=who)


def list_shown(
    *,
    session: Session,
    who: Principal,
    buyer_id: int | None = None,
    country: str | None = None,
    material: str | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[SupplierPublic], int]:
    """Return a page of suppliers in id order as `who` may see them, and how many match.

    `buyer_id` keeps that buyer's own suppliers; `material` is a name, synonym or HS heading.
    """
    where: list[Any] = []
    if buyer_id is not None:
        if session.get(Buyer, buyer_id) is None:
            raise NotFound(f"no buyer with id {buyer_id}")
        linked = select(BuyerSupplier.supplier_id).where(BuyerSupplier.buyer_id == buyer_id)
        where.append(col(Supplier.id).in_(linked))
    if country:
        where.append(col(Supplier.country) == country.upper())
    if material:
        name = require_material(material)
        offering = select(SupplierMaterial.supplier_id).where(SupplierMaterial.material == name)
        where.append(col(Supplier.id).in_(offering))
    ids = session.exec(
        select(Supplier.id).where(*where).order_by(col(Supplier.id)).offset(offset).limit(limit)
    ).all()
    total = session.exec(select(func.count()).select_from(Supplier).where(*where)).one()
    rows = list_public(session=session, ids=[i for i in ids if i is not None])
    return [shown_to(s, who=who) for s in rows], total


def check_buyers(*, session: Session, buyer_ids: Sequence[int] | None) -> None:
    """Raise InvalidInput when any of `buyer_ids` names no buyer."""
    missing = missing_buyers(session=session, buyer_ids=buyer_ids or [])
    if missing:
        raise InvalidInput("buyer_ids", f"no buyer with id {missing}")


def create(*, session: Session, data: SupplierCreate) -> Supplier:
    """Add a new supplier; Conflict when one with its key exists (it is to be changed instead)."""
    key = natural_key(data)
    if session.exec(select(Supplier.id).where(Supplier.external_id == key)).first():
        raise Conflict(f"a supplier with key {key} exists: PATCH it instead")
    check_buyers(session=session, buyer_ids=data.buyer_ids)
    supplier, _ = upsert(session=session, data=data)
    return supplier


def change(*, session: Session, supplier_id: int, data: SupplierUpdate) -> Supplier:
    """Apply the fields given in `data`; NotFound when there is no such supplier."""
    check_buyers(session=session, buyer_ids=data.buyer_ids)
    supplier = update(session=session, supplier_id=supplier_id, data=data)
    if supplier is None:
        raise NotFound(f"no supplier with id {supplier_id}")
    return supplier


def remove(*, session: Session, supplier_id: int) -> None:
    """Delete a supplier; NotFound when there is none."""
    if not delete_supplier(session=session, supplier_id=supplier_id):
        raise NotFound(f"no supplier with id {supplier_id}")
