"""A worker's watch index follows the database through the change rows triggers write."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from monitor import db
from monitor.matching import sync as sync_module
from monitor.matching.sync import WatchSync
from monitor.models import Buyer, BuyerSupplier, Supplier, SupplierMaterial, Watch, WatchChange
from monitor.settings import Settings
from tests.builders import statements


def add_buyer(s: Session, name: str = "b") -> int:
    buyer = Buyer(name=name)
    s.add(buyer)
    s.flush()
    assert buyer.id is not None
    return buyer.id


def add_supplier(s: Session, lat: float = 5.6, lon: float = -0.2) -> int:
    supplier = Supplier(name="Accra cocoa", country="GH", lat=lat, lon=lon, size_class="small")
    s.add(supplier)
    s.flush()
    assert supplier.id is not None
    s.add(SupplierMaterial(supplier_id=supplier.id, material="cocoa", country="GH"))
    return supplier.id


def refreshed(settings: Settings, sync: WatchSync) -> int:
    with db.session_scope(settings) as s:
        return sync.refresh(s)


def test_triggers_note_every_change_that_moves_the_index(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        buyer = add_buyer(s)
        watch = Watch(buyer_id=buyer, name="w", materials=["cocoa"], countries=["GH"])
        s.add(watch)
        supplier = add_supplier(s)
        s.add(BuyerSupplier(buyer_id=buyer, supplier_id=supplier))
    with db.session_scope(db_settings) as s:
        s.execute(text("UPDATE suppliers SET lat = 6.7 WHERE id = :i"), {"i": supplier})
        s.execute(text("UPDATE watches SET name = 'x' WHERE buyer_id = :b"), {"b": buyer})
    with db.session_scope(db_settings) as s:  # deleting the buyer cascades to both
        s.execute(text("DELETE FROM buyers WHERE id = :b"), {"b": buyer})
    with db.session_scope(db_settings) as s:
        rows = s.exec(select(WatchChange).order_by(WatchChange.seq)).all()
    kinds = [("w" if r.watch_id else "l" if r.buyer_id else "s") for r in rows]
    # watch, supplier material and link added; supplier moved; watch renamed; both deleted
    assert sorted(kinds[:3]) == ["l", "s", "w"] and kinds[3:5] == ["s", "w"]
    assert sorted(kinds[5:]) == ["l", "w"]
    assert [r.seq for r in rows] == sorted({r.seq for r in rows})


def test_the_index_follows_watches_links_and_suppliers(db_settings: Settings) -> None:
    sync = WatchSync(supplier_radius_km=100)
    with db.session_scope(db_settings) as s:
        buyer = add_buyer(s)
        s.add(Watch(buyer_id=buyer, name="w", materials=["cocoa"], countries=["GH"]))
    assert refreshed(db_settings, sync) == 1
    with db.session_scope(db_settings) as s:
        supplier = add_supplier(s)
        s.add(BuyerSupplier(buyer_id=buyer, supplier_id=supplier))
        second = Watch(buyer_id=buyer, name="v", materials=["coffee"], countries=["BR"])
        s.add(second)
        s.flush()
        second_id = second.id
    refreshed(db_settings, sync)
    link = f"supplier:{buyer}:{supplier}"
    assert link in sync.index and f"watch:{second_id}" in sync.index
    assert sync.index.specs[link].sites[0].lat == pytest.approx(5.6)
    with db.session_scope(db_settings) as s:  # the supplier moves; a watch changes country
        s.execute(text("UPDATE suppliers SET lat = 6.7 WHERE id = :i"), {"i": supplier})
        s.execute(text("UPDATE watches SET countries = '[\"CI\"]' WHERE id = :i"), {"i": second_id})
    refreshed(db_settings, sync)
    assert sync.index.specs[link].sites[0].lat == pytest.approx(6.7)
    assert sync.index.specs[f"watch:{second_id}"].countries == frozenset({"CI"})
    with db.session_scope(db_settings) as s:
        s.execute(text("DELETE FROM buyer_suppliers WHERE supplier_id = :i"), {"i": supplier})
        s.execute(text("DELETE FROM watches WHERE id = :i"), {"i": second_id})
    refreshed(db_settings, sync)
    assert link not in sync.index and f"watch:{second_id}" not in sync.index
    assert len(sync.index) == 1
    with db.session_scope(db_settings) as s:
        s.execute(text("DELETE FROM buyers WHERE id = :b"), {"b": buyer})
    refreshed(db_settings, sync)
    assert len(sync.index) == 0


def test_a_refresh_with_nothing_new_reads_only_the_change_rows(db_settings: Settings) -> None:
    sync = WatchSync(supplier_radius_km=100)
    with db.session_scope(db_settings) as s:
        buyer = add_buyer(s)
        s.add_all(Watch(buyer_id=buyer, name=f"w{i}", countries=["GH"]) for i in range(300))
    refreshed(db_settings, sync)
    with statements(db_settings) as seen:
        assert refreshed(db_settings, sync) == 0
    reads = [q for q in seen if q.lstrip().upper().startswith("SELECT")]
    assert len(reads) == 1 and "watch_changes" in reads[0]  # not 300 watches compared


def test_a_change_committed_out_of_order_is_still_applied(
    db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = [1000.0]
    monkeypatch.setattr(sync_module.time, "monotonic", lambda: clock[0])
    sync = WatchSync(supplier_radius_km=100)
    with db.session_scope(db_settings) as s:
        buyer = add_buyer(s)
        a = Watch(buyer_id=buyer, name="a", countries=["GH"])
        b = Watch(buyer_id=buyer, name="b", countries=["CI"])
        s.add_all([a, b])
    refreshed(db_settings, sync)
    floor = sync._floor
    assert floor is not None
    # Two transactions took numbers floor+1 and floor+2; the second committed first.
    with db.session_scope(db_settings) as s:
        s.execute(text("UPDATE watches SET countries = '[\"NG\"]' WHERE id = :i"), {"i": a.id})
        s.execute(text("UPDATE watches SET countries = '[\"BJ\"]' WHERE id = :i"), {"i": b.id})
        s.execute(text("DELETE FROM watch_changes WHERE seq > :f"), {"f": floor})
    insert = text("INSERT INTO watch_changes (seq, watch_id, at) VALUES (:q, :w, :t)")
    with db.session_scope(db_settings) as s:
        s.execute(insert, {"q": floor + 2, "w": a.id, "t": "2026-12-02 00:00:00"})
    refreshed(db_settings, sync)
    assert sync.index.specs[f"watch:{a.id}"].countries == frozenset({"NG"})
    assert sync.index.specs[f"watch:{b.id}"].countries == frozenset({"CI"})
    assert sync._floor == floor  # floor+1 may still commit: keep reading from the floor
    with db.session_scope(db_settings) as s:
        s.execute(insert, {"q": floor + 1, "w": b.id, "t": "2026-12-02 00:00:00"})
    refreshed(db_settings, sync)
    assert sync.index.specs[f"watch:{b.id}"].countries == frozenset({"BJ"})
    assert sync._floor == floor + 2
    # A number that never commits (rolled back) holds the floor only for GAP_WAIT_S.
    with db.session_scope(db_settings) as s:
        s.execute(insert, {"q": floor + 4, "w": b.id, "t": "2026-12-02 00:00:00"})
    refreshed(db_settings, sync)
    assert sync._floor == floor + 2
    clock[0] += sync_module.GAP_WAIT_S + 1
    refreshed(db_settings, sync)
    assert sync._floor == floor + 4
    with db.session_scope(db_settings) as s:  # numbers written by hand, ahead of the sequence
        s.execute(text("DELETE FROM watch_changes WHERE seq > :f"), {"f": floor + 2})


def test_old_change_rows_are_deleted(
    db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # on a machine up for a minute: the monotonic clock counts from boot
    monkeypatch.setattr(sync_module.time, "monotonic", lambda: 60.0)
    with db.session_scope(db_settings) as s:
        buyer = add_buyer(s)
        s.add(Watch(buyer_id=buyer, name="fresh", countries=["GH"]))
        s.execute(text("INSERT INTO watch_changes (watch_id, at) VALUES (999, :t)"),
                  {"t": "2020-01-01 00:00:00.000"})  # fmt: skip
    refreshed(db_settings, WatchSync(supplier_radius_km=100))
    with db.session_scope(db_settings) as s:
        left = s.exec(select(WatchChange.watch_id)).all()
    assert 999 not in left and len(left) == 1  # the trigger's own row is recent and stays
