"""The match stage's matcher: versions of one incident in one batch alert a buyer once."""

from __future__ import annotations

from typing import Any

import pytest

from monitor.db import session_scope
from monitor.models import Buyer, Watch
from monitor.settings import Settings
from streams import match
from streams.match import Alerted, Matcher
from streams.records import IncidentRecord


def incident(version: int, **fields: Any) -> IncidentRecord:
    return IncidentRecord(**{"id": "inc", "version": version, "status": "open", "severity": "high",
            "title": "Strike at Antwerp", "event_type": "strike", "countries": ["BE"],
            "places": [], "materials": [], "sources": [], "evidence": [],
            "first_seen": "2024-05-06T08:00:00+00:00", "last_seen": "2024-05-06T08:00:00+00:00",
            **fields})  # fmt: skip


def add_watch(settings: Settings, country: str, buyer_id: int | None = None) -> int:
    """Add a watch on `country` (for a new buyer unless one is given); return the buyer's id."""
    with session_scope(settings) as session:
        if buyer_id is None:
            buyer = Buyer(name="watcher")
            session.add(buyer)
            session.flush()
            buyer_id = buyer.id or 0
        session.add(Watch(buyer_id=buyer_id, name=f"country {country}", countries=[country]))
    return buyer_id


def test_versions_of_one_incident_in_one_batch_alert_once(db_settings: Settings) -> None:
    add_watch(db_settings, "BE")
    matcher = Matcher(db_settings)
    batch: list[tuple[IncidentRecord, Alerted | None]] = [
        (incident(1), None),
        (incident(2), None),
        (incident(3, status="closed"), None),
    ]
    results = matcher.alerts_for(batch)
    kinds = [[a.kind for a in alerts] for _id, _record, alerts in results]
    assert kinds == [["new"], [], ["all_clear"]]
    matcher.executor.shutdown()


def test_the_collector_is_frozen_once_after_the_first_load(
    db_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    frozen: list[int] = []

    class Collector:  # stands in for the process-wide `gc` module
        get_freeze_count = staticmethod(lambda: len(frozen))
        collect = staticmethod(lambda: 0)
        freeze = staticmethod(lambda: frozen.append(1))

    monkeypatch.setattr(match, "gc", Collector)
    buyer_id = add_watch(db_settings, "BE")
    matcher = Matcher(db_settings)
    assert matcher.refresh() and frozen == [1]  # the first full load
    add_watch(db_settings, "CL", buyer_id)
    assert matcher.refresh()  # a change came in...
    assert frozen == [1]  # ...and the collector was left alone
    matcher.executor.shutdown()
