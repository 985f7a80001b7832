"""`monitor run` prints one line per new alert: buyer, incident, severity."""

from __future__ import annotations

from monitor.db import session_scope
from monitor.delivery.store import save_alert
from monitor.local.alertlines import AlertLines
from monitor.models import Buyer
from monitor.settings import Settings


def test_one_line_per_new_alert(db_settings: Settings) -> None:
    lines = AlertLines(db_settings)
    with session_scope(db_settings) as session:
        buyer = Buyer(name="Chocolaterie")
        session.add(buyer)
        session.flush()
        alert = {"buyer_id": buyer.id, "incident_id": "i", "kind": "new", "severity": "high",
                 "incident": {"title": "Antwerp strike"}}  # fmt: skip
        save_alert(session, alert)
    assert lines.poll() == []  # what was there before start-up is not repeated
    with session_scope(db_settings) as session:
        save_alert(session, {**alert, "incident_version": 2, "kind": "worse"})
    assert lines.poll() == ["alert [worse] Chocolaterie: Antwerp strike — severity high"]
    assert lines.poll() == []
