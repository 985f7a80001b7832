"""The deliver agent: alerts into the database, one row per buyer, incident and version."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from typing import Any

import faust

from monitor.db import session_scope
from monitor.delivery.sender import run_deliveries
from monitor.delivery.store import save_alert
from monitor.settings import Settings
from streams.records import AlertRecord
from streams.stage import Stage

log = logging.getLogger(__name__)


def store_alerts(settings: Settings, alerts: Sequence[AlertRecord]) -> list[AlertRecord]:
    """Save the alerts in one transaction; return those that were new."""
    new = []
    with session_scope(settings) as session:
        for alert in alerts:
            if save_alert(session, alert.asdict()) is not None:  # the store reads mappings
                new.append(alert)
    return new


def register_deliver(app: faust.App, stage: Stage) -> Any:
    """Register the `deliver` agent on `app`."""

    async def handle(events: Sequence[faust.EventT]) -> None:
        alerts = [alert for _event, alert in await stage.decode(events, AlertRecord)]
        if not alerts:
            return
        new = await asyncio.to_thread(store_alerts, stage.settings, alerts)
        stage.metrics.duplicates.labels("deliver").inc(len(alerts) - len(new))
        for alert in new:
            stage.metrics.alerts.labels(alert.kind).inc()
            log.info("alert: buyer %s, incident %s (%s), severity %s, %s",
                     alert.buyer_id, alert.incident_id, alert.incident.get("title"),
                     alert.severity, alert.kind)  # fmt: skip

    @app.agent(stage.topics.alerts, name="deliver")
    async def deliver(stream: Any) -> None:
        """Store alerts; a replayed alert is dropped by the (buyer, incident, version) key."""
        await stage.run(stream, handle)

    @app.task
    async def send() -> None:
        """Send stored alerts' webhooks and e-mails beside the stream (never blocking it)."""
        await run_deliveries(stage.settings, asyncio.Event())  # ends when the worker stops

    return deliver
