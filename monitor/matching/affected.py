"""Which of a buyer's own suppliers the open incidents hit: what its supplier alerts follow.

The dashboard's map and the alerts agree because both ask `check` of the same implicit
supplier watches (`supplier_spec`, radius `MONITOR_SUPPLIER_WATCH_RADIUS_KM`): the matcher
through its index (which a test holds equal to `check` on every watch), this service for one
buyer at a time. A supplier is affected when its site lies within the radius of an incident's
point or area (its country, when it has no coordinates), the incident names one of its
materials or none, and the incident is at least of medium severity and not a routine warning.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlmodel import Session, col, select

from monitor.incidents.models import incident_document
from monitor.incidents.service import list_incidents
from monitor.matching.index import check, footprint
from monitor.matching.watches import WatchSpec, supplier_spec
from monitor.models import BuyerSupplier, Supplier, SupplierMaterial

OPEN_INCIDENTS = 200  # the most recently seen open incidents looked at (what the map draws)


def supplier_specs(*, session: Session, buyer_id: int, radius_km: float) -> list[WatchSpec]:
    """Return the implicit watches of the buyer's own suppliers, as the matcher files them."""
    ids = select(BuyerSupplier.supplier_id).where(BuyerSupplier.buyer_id == buyer_id)
    suppliers = session.exec(select(Supplier).where(col(Supplier.id).in_(ids))).all()
    materials: defaultdict[int, list[str]] = defaultdict(list)
    rows = session.exec(
        select(SupplierMaterial.supplier_id, SupplierMaterial.material).where(
            col(SupplierMaterial.supplier_id).in_(ids)
        )
    ).all()
    for sid, material in rows:
        materials[sid].append(material)
    return [
        supplier_spec(buyer_id=buyer_id, supplier=s, materials=materials[s.id or 0],
                      radius_km=radius_km)
        for s in suppliers
    ]  # fmt: skip


def affected_suppliers(
    *, session: Session, buyer_id: int, radius_km: float
) -> list[dict[str, Any]]:
    """Return each (supplier, open incident) pair that hits it, with the places that overlap."""
    specs = supplier_specs(session=session, buyer_id=buyer_id, radius_km=radius_km)
    if not specs:
        return []
    rows, _ = list_incidents(session=session, status="open", limit=OPEN_INCIDENTS)
    out = []
    for row in rows:
        incident = incident_document(row)
        fp = footprint(incident)
        for spec in specs:
            match = check(spec, fp)
            if match is not None:
                out.append({
                    "supplier_id": int(spec.key.rsplit(":", 1)[1]),
                    "incident_id": row.id,
                    "title": row.title,
                    "places": list(match.places),
                    "materials": list(match.materials),
                })  # fmt: skip
    return out
