"""The match stage's matcher: versions of one incident in one batch alert a buyer once."""

from __future__ import annotations

from typing import Any

from monitor.db import session_scope
from monitor.models import Buyer, Watch
from monitor.settings import Settings
from streams.match import Matcher


def incident(version: int, **fields: Any) -> dict[str, Any]:
    return {"id": "inc", "version": version, "status": "open", "severity": "high",
            "title": "Strike at Antwerp", "countries": ["BE"], "places": [], "materials": [],
            "sources": [], "evidence": [], **fields}  # fmt: skip


def test_versions_of_one_incident_in_one_batch_alert_once(db_settings: Settings) -> None:
    with session_scope(db_settings) as session:
        buyer = Buyer(name="watcher")
        session.add(buyer)
        session.flush()
        session.add(Watch(buyer_id=buyer.id or 0, name="Belgium", countries=["BE"]))
    matcher = Matcher(db_settings)
    batch: list[tuple[dict[str, Any], dict[str, Any] | None]] = [
        (incident(1), None),
        (incident(2), None),
        (incident(3, status="closed"), None),
    ]
    results = matcher.alerts_for(batch)
    kinds = [[a["kind"] for a in alerts] for _id, _record, alerts in results]
    assert kinds == [["new"], [], ["all_clear"]]
    matcher.executor.shutdown()
