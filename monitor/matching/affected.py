"""What the open incidents hit of one buyer's: its own suppliers, and its written watches.

The dashboard's map and the alerts agree because all ask `check` of the same watches: the
implicit supplier watches (`supplier_spec`, radius `MONITOR_SUPPLIER_WATCH_RADIUS_KM`) and the
buyer's written ones (`watch_spec`), the matcher through its index (which a test holds equal
to `check` on every watch), this service for one buyer at a time. A supplier is affected when
its site lies within the radius of an incident's point or area (its country, when it has no
coordinates), the incident names one of its materials or none, and the incident is at least of
medium severity and not a routine warning. A written watch can alert the buyer while none of
its suppliers is hit (a watch on a whole country hears of any area inside it), so the map is
told of those hits too, rather than showing "0 affected" beside the alert.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from monitor.incidents.models import incident_document
from monitor.incidents.service import list_incidents
from monitor.matching.index import Match, check, footprint
from monitor.matching.watches import WatchSpec, supplier_spec, watch_spec
from monitor.models import BuyerSupplier, Incident, Supplier, SupplierMaterial, Watch

OPEN_INCIDENTS = 200  # the most recently seen open incidents looked at (what the map draws)


@dataclass(frozen=True)
class Affected:
    """Each (supplier, open incident) pair that hits it, and each (written watch, incident)."""

    suppliers: list[dict[str, Any]]
    watches: list[dict[str, Any]]


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


def watch_specs(*, session: Session, buyer_id: int) -> list[WatchSpec]:
    """Return the buyer's written watches, as the matcher files them."""
    rows = session.exec(select(Watch).where(Watch.buyer_id == buyer_id).order_by(col(Watch.id)))
    return [watch_spec(row) for row in rows.all()]


def _hits(
    specs: Sequence[WatchSpec], incidents: Sequence[Incident]
) -> Iterator[tuple[WatchSpec, Incident, Match]]:
    for row in incidents:
        fp = footprint(incident_document(row))
        for spec in specs:
            if (match := check(spec, fp)) is not None:
                yield spec, row, match


def affected(*, session: Session, buyer_id: int, radius_km: float) -> Affected:
    """Return what the open incidents hit of the buyer's suppliers and written watches."""
    suppliers = supplier_specs(session=session, buyer_id=buyer_id, radius_km=radius_km)
    watches = watch_specs(session=session, buyer_id=buyer_id)
    if not suppliers and not watches:
        return Affected([], [])
    rows, _ = list_incidents(session=session, status="open", limit=OPEN_INCIDENTS)
    return Affected(
        suppliers=[{"supplier_id": int(spec.key.rsplit(":", 1)[1]), "incident_id": row.id,
                    "title": row.title, "places": list(m.places), "materials": list(m.materials)}
                   for spec, row, m in _hits(suppliers, rows)],
        watches=[{"watch_id": spec.watch_id, "name": spec.name, "incident_id": row.id,
                  "title": row.title, "places": list(m.places), "materials": list(m.materials)}
                 for spec, row, m in _hits(watches, rows)],
    )  # fmt: skip


def affected_suppliers(
    *, session: Session, buyer_id: int, radius_km: float
) -> list[dict[str, Any]]:
    """Return each (supplier, open incident) pair that hits it, with the places that overlap."""
    return affected(session=session, buyer_id=buyer_id, radius_km=radius_km).suppliers
