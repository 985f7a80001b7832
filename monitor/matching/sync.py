"""Keep a worker's watch index in step with the database, change by change.

Each refresh reads the watches' ids and update times and the buyer–supplier links (cheap
index scans), then loads only what was added or changed and drops what was deleted, so a watch
written through the API reaches running workers within one refresh interval.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel import Session, col, select

from monitor.matching.index import WatchIndex
from monitor.matching.watches import supplier_spec, watch_spec
from monitor.models import BuyerSupplier, Supplier, SupplierMaterial, Watch


class WatchSync:
    """A watch index plus what it last saw of the database."""

    def __init__(self, *, supplier_radius_km: float) -> None:
        self.index = WatchIndex()
        self.supplier_radius_km = supplier_radius_km
        self._watches: dict[int, datetime] = {}
        self._links: set[tuple[int, int]] = set()

    def refresh(self, session: Session) -> int:
        """Apply the changes since the last refresh; return how many watches changed."""
        return self._refresh_watches(session) + self._refresh_links(session)

    def _refresh_watches(self, session: Session) -> int:
        rows = session.exec(select(Watch.id, Watch.updated_at)).all()
        current = {wid: at for wid, at in rows if wid is not None}
        gone = [wid for wid in self._watches if wid not in current]
        for wid in gone:
            self.index.remove(f"watch:{wid}")
            del self._watches[wid]
        changed = [wid for wid, at in current.items() if self._watches.get(wid) != at]
        for start in range(0, len(changed), 1000):
            part = changed[start : start + 1000]
            for row in session.exec(select(Watch).where(col(Watch.id).in_(part))).all():
                self.index.put(watch_spec(row))
                assert row.id is not None
                self._watches[row.id] = row.updated_at
        return len(gone) + len(changed)

    def _refresh_links(self, session: Session) -> int:
        pairs = session.exec(select(BuyerSupplier.buyer_id, BuyerSupplier.supplier_id)).all()
        current = {(b, s) for b, s in pairs}
        gone, added = self._links - current, sorted(current - self._links)
        for buyer, supplier in gone:
            self.index.remove(f"supplier:{buyer}:{supplier}")
        for start in range(0, len(added), 1000):
            part = added[start : start + 1000]
            ids = sorted({s for _, s in part})
            suppliers = {
                s.id: s for s in session.exec(select(Supplier).where(col(Supplier.id).in_(ids)))
            }
            materials: defaultdict[int, list[str]] = defaultdict(list)
            rows = session.exec(
                select(SupplierMaterial.supplier_id, SupplierMaterial.material).where(
                    col(SupplierMaterial.supplier_id).in_(ids)
                )
            ).all()
            for sid, material in rows:
                materials[sid].append(material)
            for buyer, sid in part:
                if sid in suppliers:
                    spec = supplier_spec(buyer_id=buyer, supplier=suppliers[sid],
                                         materials=materials[sid],
                                         radius_km=self.supplier_radius_km)  # fmt: skip
                    self.index.put(spec)
        self._links = current
        return len(gone) + len(added)
