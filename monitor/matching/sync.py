"""Keep a worker's watch index in step with the database, change by change.

Database triggers (migration 0005) write a `watch_changes` row for every watch inserted,
updated or deleted, every buyer–supplier link added or removed, and every supplier (or its
materials) changed. The first refresh loads everything (`resync`) and notes the last change;
each later one reads only the changes after it and reloads what they name, so a refresh with
nothing new is one indexed query however many watches there are, and a watch written through
the API reaches running workers within one refresh interval.

Change numbers can commit out of order (two transactions on PostgreSQL), so the worker reads
from the highest number below which it has seen every change, skips what it already applied,
and gives up waiting for a missing number after `GAP_WAIT_S` (a transaction rolled back).
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, func, select

from monitor.columns import utcnow
from monitor.matching.index import WatchIndex
from monitor.matching.watches import supplier_spec, watch_spec
from monitor.models import BuyerSupplier, Supplier, SupplierMaterial, Watch, WatchChange

CHUNK = 1000  # ids per IN (...) list
READ = 10_000  # changes read per query
GAP_WAIT_S = 30.0  # a missing change number older than this was rolled back
KEEP = timedelta(hours=1)  # changes older than this are deleted (workers read every few s)
RESYNC_AFTER_S = 1800.0  # a worker that could not read for this long loads everything again


class WatchSync:
    """A watch index plus what it last saw of the database."""

    def __init__(self, *, supplier_radius_km: float) -> None:
        self.index = WatchIndex()
        self.supplier_radius_km = supplier_radius_km
        self._watches: dict[int, datetime] = {}
        self._links: set[tuple[int, int]] = set()
        self._buyers_of: defaultdict[int, set[int]] = defaultdict(set)  # supplier -> buyers
        self._floor: int | None = None  # every change up to this one was applied
        self._applied: set[int] = set()  # changes above the floor already applied
        self._gaps: dict[int, float] = {}  # missing change number -> when first missed
        self._read_at = 0.0
        self._pruned_at: float | None = None  # monotonic time of the last prune

    def refresh(self, session: Session) -> int:
        """Apply the changes since the last refresh; return how many watches changed."""
        now = time.monotonic()
        if self._floor is None or now - self._read_at > RESYNC_AFTER_S:
            changed = self.resync(session)
        else:
            changed = self._apply_changes(session, now)
        self._read_at = now
        if self._pruned_at is None or now - self._pruned_at > KEEP.total_seconds() / 4:
            self._pruned_at = now
            session.execute(delete(WatchChange).where(col(WatchChange.at) < utcnow() - KEEP))
        return changed

    def resync(self, session: Session) -> int:
        """Compare every watch and link with the database (the first load, and the fallback)."""
        last = session.exec(select(func.max(WatchChange.seq))).one() or 0
        changed = self._resync_watches(session) + self._resync_links(session)
        self._floor, self._applied, self._gaps = last, set(), {}
        return changed

    def _apply_changes(self, session: Session, now: float) -> int:
        assert self._floor is not None
        rows = session.exec(
            select(WatchChange).where(col(WatchChange.seq) > self._floor)
            .order_by(col(WatchChange.seq)).limit(READ)
        ).all()  # fmt: skip
        new = [r for r in rows if r.seq not in self._applied]
        watches = {r.watch_id for r in new if r.watch_id is not None}
        links = {(r.buyer_id, r.supplier_id) for r in new
                 if r.buyer_id is not None and r.supplier_id is not None}  # fmt: skip
        suppliers = {r.supplier_id for r in new if r.buyer_id is None and r.supplier_id}
        changed = self._reload_watches(session, watches) + self._reload_links(
            session, links, suppliers
        )
        self._advance([r.seq for r in rows if r.seq is not None], now)
        return changed

    def _advance(self, seen: list[int], now: float) -> None:
        """Move the floor over every change seen, or missed for longer than GAP_WAIT_S."""
        assert self._floor is not None
        self._applied.update(seen)
        top = max(seen, default=self._floor)
        while self._floor < top:
            following = self._floor + 1
            if following in self._applied:
                self._applied.discard(following)
            elif now - self._gaps.setdefault(following, now) < GAP_WAIT_S:
                break  # maybe a transaction still open: read from here again next time
            self._gaps.pop(following, None)
            self._floor = following

    def _resync_watches(self, session: Session) -> int:
        rows = session.exec(select(Watch.id, Watch.updated_at)).all()
        current = {wid: at for wid, at in rows if wid is not None}
        gone = [wid for wid in self._watches if wid not in current]
        changed = [wid for wid, at in current.items() if self._watches.get(wid) != at]
        return self._reload_watches(session, [*gone, *changed])

    def _reload_watches(self, session: Session, ids: Iterable[int]) -> int:
        """Put the watches with these ids as the database has them; drop those it lacks."""
        wanted = sorted(set(ids))
        found: set[int] = set()
        for start in range(0, len(wanted), CHUNK):
            part = wanted[start : start + CHUNK]
            for row in session.exec(select(Watch).where(col(Watch.id).in_(part))).all():
                assert row.id is not None
                self.index.put(watch_spec(row))
                self._watches[row.id] = row.updated_at
                found.add(row.id)
        for wid in set(wanted) - found:
            self.index.remove(f"watch:{wid}")
            self._watches.pop(wid, None)
        return len(wanted)

    def _resync_links(self, session: Session) -> int:
        pairs = session.exec(select(BuyerSupplier.buyer_id, BuyerSupplier.supplier_id)).all()
        current = {(b, s) for b, s in pairs}
        gone, added = self._links - current, current - self._links
        for pair in gone:
            self._drop_link(pair)
        self._put_links(session, added)
        return len(gone) + len(added)

    def _reload_links(
        self, session: Session, pairs: set[tuple[int, int]], suppliers: set[int]
    ) -> int:
        """Re-read these links, and every link of these suppliers, from the database."""
        ids = sorted({s for _, s in pairs} | suppliers)
        current: set[tuple[int, int]] = set()
        for start in range(0, len(ids), CHUNK):
            part = ids[start : start + CHUNK]
            query = select(BuyerSupplier.buyer_id, BuyerSupplier.supplier_id)
            current.update(session.exec(query.where(col(BuyerSupplier.supplier_id).in_(part))))
        touched = pairs | {(b, s) for s in suppliers for b in self._buyers_of.get(s, ())}
        touched |= {(b, s) for b, s in current if s in suppliers}
        for pair in touched - current:
            self._drop_link(pair)
        self._put_links(session, touched & current)
        return len(touched)

    def _drop_link(self, pair: tuple[int, int]) -> None:
        buyer, supplier = pair
        self.index.remove(f"supplier:{buyer}:{supplier}")
        self._links.discard(pair)
        self._buyers_of[supplier].discard(buyer)
        if not self._buyers_of[supplier]:
            del self._buyers_of[supplier]

    def _put_links(self, session: Session, pairs: Iterable[tuple[int, int]]) -> None:
        """Put the implicit watch of each (buyer, supplier) link: the supplier's site."""
        todo = sorted(pairs)
        for start in range(0, len(todo), CHUNK):
            part = todo[start : start + CHUNK]
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
                if sid not in suppliers:
                    self._drop_link((buyer, sid))
                    continue
                spec = supplier_spec(buyer_id=buyer, supplier=suppliers[sid],
                                     materials=materials[sid],
                                     radius_km=self.supplier_radius_km)  # fmt: skip
                self.index.put(spec)
                self._links.add((buyer, sid))
                self._buyers_of[sid].add(buyer)
