"""The deliver stage without a broker: typed alerts stored once per buyer, incident, version."""

from __future__ import annotations

from monitor.db import session_scope
from monitor.models import Buyer
from monitor.settings import Settings
from streams.deliver import store_alerts
from streams.records import AlertRecord
from tests.streams.pipeline import alerts


def alert(buyer_id: int, version: int, kind: str = "new") -> AlertRecord:
    incident = {"id": "inc", "version": version, "title": "Strike at Antwerp", "sources": []}
    return AlertRecord(id=f"inc-{buyer_id}-{version}", buyer_id=buyer_id, incident_id="inc",
                       incident_version=version, kind=kind, severity="high", why={},
                       suggestions=[], incident=incident)  # fmt: skip


def test_only_new_alerts_are_returned_and_stored(db_settings: Settings) -> None:
    with session_scope(db_settings) as session:
        buyer = Buyer(name="watcher")
        session.add(buyer)
        session.flush()
        buyer_id = buyer.id or 0
    first = [alert(buyer_id, 1), alert(buyer_id, 1)]  # a repeat within the batch
    assert store_alerts(db_settings, first) == [first[0]]
    again = [alert(buyer_id, 1), alert(buyer_id, 2, "worse")]  # a replay, then a new version
    assert store_alerts(db_settings, again) == [again[1]]
    stored = alerts(db_settings)
    assert [(a.incident_version, a.kind) for a in stored] == [(1, "new"), (2, "worse")]
