"""Rows the dashboard tests show: a buyer with suppliers, an incident and alerts whose feed
text carries script, onerror= and javascript: payloads that must never run."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from monitor.feedback import service as feedback
from monitor.feedback.models import FalseAlarmReport, MissedEventCreate
from monitor.models import Alert, Buyer, Feed, Incident, Watch, incident_document
from monitor.suppliers import demo, service
from monitor.suppliers.models import SupplierCreate

# Each payload sets window.__xss if it ever runs as script.
SCRIPT = "<script>window.__xss = 'script'</script>"
ONERROR = "<img src=x onerror=\"window.__xss = 'onerror'\">"
JS_URL = "javascript:window.__xss='href'"
PRIVATE_NOTE = "Private: we buy from Kumasi, not Abidjan"  # operators must never see it


@dataclass
class Seeded:
    buyer_id: int
    incident_id: str
    feed_id: int


def _incident(key: str, title: str, *, lat: float, lon: float, feed_id: int) -> Incident:
    return Incident(
        id=key,
        title=title,
        event_type="strike",
        severity="high",
        lat=lat,
        lon=lon,
        countries=["CI"],
        materials=[{"name": "cocoa", "hs": "1801"}],
        places=[{"name": "Abidjan", "country": "CI", "kind": "port", "lat": lat, "lon": lon}],
        sources=[
            {
                "item_id": f"{key}-1",
                "url": JS_URL,
                "title": f"Dockers went on strike {ONERROR}",
                "published": "2026-03-02T08:00:00Z",
                "feed_id": feed_id,
            },
            {
                "item_id": f"{key}-2",
                "url": "https://news.example.org/abidjan-strike",
                "title": f"Cocoa exports halted at Abidjan port {SCRIPT}",
                "feed_id": feed_id,
            },
        ],
        evidence=[
            {"text": "went on strike", "start": 8, "end": 22, "why": "event trigger"},
            {"text": "halted", "start": 14, "end": 20, "why": "severity: high"},
        ],
    )


def alert_for(session: Session, *, buyer_id: int, incident: Incident) -> Alert:
    """Store an alert of `buyer_id` on `incident` (what the streams worker writes)."""
    suggestions: list[dict[str, Any]] = [
        {"material": "cocoa", "suppliers": [
            {"id": 1, "name": f"Kumasi Cocoa Co-op {SCRIPT}", "country": "GH", "score": 0.82,
             "reasons": ["offers cocoa", f"outside the affected area {ONERROR}"]}]},
    ]  # fmt: skip
    alert = Alert(
        buyer_id=buyer_id,
        incident_id=incident.id,
        severity=incident.severity,
        why={
            "watch": {
                "id": None,
                "key": "watch:seed",
                "kind": "watch",
                "name": f"Cocoa from West Africa {ONERROR}",
            },  # as matching writes it
            "materials": ["cocoa"],
            "places": ["Abidjan"],
            "evidence": incident.evidence,
            "cause": f"strike — exports halted {SCRIPT}",  # as matching words it
        },
        suggestions=suggestions,
        incident=incident_document(incident),
        feed_ids=[s["feed_id"] for s in incident.sources],
    )
    session.add(alert)
    session.flush()
    return alert


def seed(session: Session) -> Seeded:
    """Store the demo directory, a buyer with two suppliers, a feed, an incident, one alert."""
    demo.load(session=session, count=300)
    buyer = Buyer(name="Chocolate works")
    feed = Feed(url="https://feeds.example.org/ports.xml", name="Ports news", kind="rss",
                items_produced=42, last_error=f"HTTP 503 {SCRIPT}")  # fmt: skip
    session.add(buyer)
    session.add(feed)
    session.flush()
    assert buyer.id is not None and feed.id is not None
    for name, city, lat, lon, country in [
        ("Abidjan Cocoa Grinders", "Abidjan", 5.33, -4.03, "CI"),
        ("Tema Cocoa Processing", "Tema", 5.67, 0.0, "GH"),
    ]:
        data = SupplierCreate(name=name, city=city, lat=lat, lon=lon, country=country,
                              materials=["cocoa"], buyer_ids=[buyer.id])  # fmt: skip
        service.upsert(session=session, data=data)
    incident = _incident("inc-abidjan", f"Dock strike at Abidjan {SCRIPT}", lat=5.30, lon=-4.01,
                         feed_id=feed.id)  # fmt: skip
    session.add(incident)
    # A routine warning over Tema: no alert, so the map must not call Tema's supplier affected.
    session.add(Incident(
        id="inc-tema-wind", title="Yellow wind warning: Greater Accra", event_type="storm",
        severity="medium", lat=5.65, lon=0.0, countries=["GH"], materials=[], routine=True,
        places=[{"name": "Tema", "country": "GH", "kind": "city", "lat": 5.67, "lon": 0.0}],
        area=[{"kind": "circle", "lat": 5.65, "lon": 0.0, "radius_km": 60.0}],
    ))  # fmt: skip
    session.flush()
    alert_for(session, buyer_id=buyer.id, incident=incident)
    return Seeded(buyer_id=buyer.id, incident_id=incident.id, feed_id=feed.id)


def second_incident(session: Session, *, buyer_id: int, feed_id: int) -> Alert:
    """Store a later incident and its alert, as the worker would while the page is open."""
    incident = _incident("inc-san-pedro", f"Port of San-Pédro closed {ONERROR}", lat=4.75,
                         lon=-6.64, feed_id=feed_id)  # fmt: skip
    incident.severity = "critical"
    incident.source_count = 57  # a big event: the alert carries its first and latest sources
    session.add(incident)
    session.flush()
    return alert_for(session, buyer_id=buyer_id, incident=incident)


def watch_without_supplier(session: Session, *, buyer_id: int) -> None:
    """Store a watch on Ghana's cocoa and a drought over northern Ghana, 420 km from the
    buyer's Tema supplier: the watch alerts the buyer while no supplier of its is hit."""
    session.add(Watch(buyer_id=buyer_id, name="Cocoa from Ghana", materials=["cocoa"],
                      countries=["GH"]))  # fmt: skip
    session.add(Incident(
        id="inc-north-drought", title="Drought in northern Ghana", event_type="drought",
        severity="high", countries=["GH"], materials=[], places=[],
        area=[{"kind": "bbox", "bbox": [-2.8, 9.5, 0.5, 11.1]}],
    ))  # fmt: skip
    session.flush()


def mark_false_alarm(session: Session, *, buyer_id: int) -> None:
    """Mark every alert of `buyer_id` a false alarm, wrong place, with a private note (as the
    buyer's button does)."""
    report = FalseAlarmReport(reason="wrong_place", note=PRIVATE_NOTE)
    for alert in session.exec(select(Alert).where(Alert.buyer_id == buyer_id)).all():
        feedback.mark_false_alarm(session=session, alert_id=alert.id or 0, report=report)


def report_missed(session: Session, *, buyer_id: int) -> None:
    """Report a missed event of `buyer_id`, with a private note."""
    data = MissedEventCreate(url="https://news.example.org/missed-flood", note=PRIVATE_NOTE)
    feedback.report_missed(session=session, buyer_id=buyer_id, data=data)
