"""Service functions over the supplier directory (create, update, read, delete)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, SQLModel, col, delete, select

from monitor.columns import utcnow
from monitor.models import Buyer, BuyerSupplier, Supplier, SupplierMaterial
from monitor.suppliers.schema import SupplierCreate, SupplierPublic, SupplierUpdate
from monitor.vocab import materials as lexicon

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
