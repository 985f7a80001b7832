"""The map's affected suppliers are the suppliers whose implicit watches the matcher hits."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from monitor import db
from monitor.incidents.store import save_incidents
from monitor.matching.affected import affected, affected_suppliers
from monitor.matching.sync import WatchSync
from monitor.matching.watches import WatchSpec
from monitor.models import Buyer, BuyerSupplier, Supplier, SupplierMaterial, Watch
from monitor.settings import Settings

RADIUS_KM = 100.0


def _supplier(s: Session, buyer: int, name: str, lat: float | None, lon: float | None,
              country: str, material: str) -> int:  # fmt: skip
    supplier = Supplier(name=name, country=country, lat=lat, lon=lon, size_class="small")
    s.add(supplier)
    s.flush()
    assert supplier.id is not None
    s.add(SupplierMaterial(supplier_id=supplier.id, material=material, country=country))
    s.add(BuyerSupplier(buyer_id=buyer, supplier_id=supplier.id))
    return supplier.id


def _incident(incident_id: str, **fields: Any) -> dict[str, Any]:
    base = {"id": incident_id, "title": incident_id, "event_type": "drought", "severity": "high",
            "status": "open", "version": 1, "countries": ["BR"], "places": [], "materials": [],
            "sources": [], "evidence": [], "first_seen": "2026-01-01T00:00:00+00:00",
            "last_seen": "2026-01-02T00:00:00+00:00"}  # fmt: skip
    return {**base, **fields}


# GDACS's box for the drought in Argentina, Bolivia, Brazil and Paraguay (deploy/samples).
DROUGHT_BOX = {"kind": "bbox", "bbox": [-58.461, -23.682, -50.461, -15.682]}
INCIDENTS = [
    _incident("drought", area=[DROUGHT_BOX],
              places=[{"name": "BR", "kind": "country", "lat": -19.682, "lon": -54.461}]),
    _incident("wind", event_type="storm", severity="medium", countries=["PL"], routine=True,
              places=[{"name": "Gdańsk", "kind": "city", "lat": 54.35, "lon": 18.65}]),
    _incident("fab", event_type="fire_explosion", countries=["PL"],
              materials=[{"name": "semiconductors"}],
              places=[{"name": "Gdańsk", "kind": "city", "lat": 54.35, "lon": 18.65}]),
    _incident("closed", status="closed", area=[DROUGHT_BOX]),
]  # fmt: skip


def _alerts(sync: WatchSync) -> list[tuple[WatchSpec, str]]:
    """Return each (watch, open incident id) the matcher's index pairs: what alerts follow."""
    return [(m.spec, inc["id"]) for inc in INCIDENTS if inc["status"] == "open"
            for m in sync.index.match(inc)]  # fmt: skip


def test_the_map_and_the_alerts_name_the_same_suppliers(db_settings: Settings) -> None:
    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="b")
        s.add(buyer)
        s.flush()
        assert buyer.id is not None
        ids = {
            # Inside the drought's box, 283 km from its point: hit by the area alone.
            "dourados": _supplier(s, buyer.id, "Dourados", -22.22, -54.81, "BR", "coffee"),
            "sao paulo": _supplier(s, buyer.id, "São Paulo", -23.55, -46.63, "BR", "coffee"),
            "gdansk": _supplier(s, buyer.id, "Gdańsk", 54.37, 18.6, "PL", "cocoa"),
            "gdansk chips": _supplier(
                s, buyer.id, "Gdańsk chips", 54.37, 18.6, "PL", "semiconductors"
            ),
            "no site": _supplier(s, buyer.id, "Somewhere in Brazil", None, None, "BR", "coffee"),
        }
        buyer_id = buyer.id
        save_incidents(s, INCIDENTS)
    sync = WatchSync(supplier_radius_km=RADIUS_KM)
    with db.session_scope(db_settings) as s:
        sync.refresh(s)
        shown = affected_suppliers(session=s, buyer_id=buyer_id, radius_km=RADIUS_KM)
    pairs = {(f["supplier_id"], f["incident_id"]) for f in shown}
    alerted = {(int(spec.key.rsplit(":", 1)[1]), incident) for spec, incident in _alerts(sync)
               if spec.key.startswith(f"supplier:{buyer_id}:")}  # fmt: skip
    assert pairs == alerted
    assert pairs == {(ids["dourados"], "drought"), (ids["no site"], "drought"),
                     (ids["gdansk chips"], "fab")}  # fmt: skip
    inside = next(f for f in shown if f["supplier_id"] == ids["dourados"])
    assert inside["places"] == ["site Dourados: inside the hazard area"]


def test_the_map_names_the_watch_that_alerts_when_no_supplier_is_hit(
    db_settings: Settings,
) -> None:
    with db.session_scope(db_settings) as s:
        buyer = Buyer(name="b")
        s.add(buyer)
        s.flush()
        assert buyer.id is not None
        # Itatim, Bahia: Brazil, but 1,200 km from the drought's box.
        _supplier(s, buyer.id, "Itatim", -12.71, -39.69, "BR", "cocoa")
        brazil = Watch(buyer_id=buyer.id, name="cocoa from BR", materials=["cocoa"],
                       countries=["BR"])  # fmt: skip
        chips = Watch(buyer_id=buyer.id, name="chips from PL", materials=["semiconductors"],
                      countries=["PL"])  # fmt: skip
        s.add_all([brazil, chips])
        s.flush()
        watch_ids = {"brazil": brazil.id, "chips": chips.id}
        buyer_id = buyer.id
        save_incidents(s, INCIDENTS)
    sync = WatchSync(supplier_radius_km=RADIUS_KM)
    with db.session_scope(db_settings) as s:
        sync.refresh(s)
        found = affected(session=s, buyer_id=buyer_id, radius_km=RADIUS_KM)
    alerted = {(spec.watch_id, incident) for spec, incident in _alerts(sync)
               if spec.buyer_id == buyer_id}  # fmt: skip
    # Every alert is on the map: none through a supplier, each through a written watch.
    assert found.suppliers == []
    assert {(w["watch_id"], w["incident_id"]) for w in found.watches} == alerted
    assert alerted == {(watch_ids["brazil"], "drought"), (watch_ids["chips"], "fab")}
    drought = next(w for w in found.watches if w["incident_id"] == "drought")
    assert (drought["name"], drought["places"]) == ("cocoa from BR", ["country BR"])
