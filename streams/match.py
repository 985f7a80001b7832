"""The match agent: incidents in, one alert per buyer out (again when worse, and all-clear)."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, NamedTuple

import faust

from monitor.db import session_scope
from monitor.matching.alerts import alert_message, decide_alerts
from monitor.matching.sync import WatchSync
from monitor.settings import Settings
from streams.app import state_table
from streams.records import AlertRecord, IncidentRecord, encode
from streams.stage import Stage

log = logging.getLogger(__name__)

Alerted = dict[str, dict[str, Any]]  # what each buyer was last alerted about, by buyer id


class Matched(NamedTuple):
    """One incident's outcome: the alerts to send and what each buyer will have been told."""

    incident_id: str
    alerted: Alerted
    alerts: list[AlertRecord]


class Matcher:
    """The watch index and the blocking work around it, run on one thread of its own.

    Refreshing the index and matching against it share that thread, so the index never
    changes under a match; the event loop only hands work over and sends the results.
    """

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.sync = WatchSync(supplier_radius_km=settings.matching.supplier_watch_radius_km)
        self.loaded = False
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="match")

    def refresh(self) -> int:
        """Apply the watch changes from the database; return how many there were."""
        with session_scope(self.settings) as session:
            changed = self.sync.refresh(session)
        if changed:
            log.info("watch index: %d changes, %d watches", changed, len(self.sync.index))
        if not self.loaded:
            self.loaded = True
            freeze_once()
        return changed

    def alerts_for(self, batch: list[tuple[IncidentRecord, Alerted | None]]) -> list[Matched]:
        """Return, per incident (with what its buyers were told before), what to send now."""
        from monitor.suggestions import for_buyers

        if not self.loaded:
            self.refresh()
        out = []
        records: dict[str, Alerted] = {}  # versions of one incident in this batch
        with session_scope(self.settings) as session:
            for incident_record, stored in batch:
                incident = incident_record.asdict()  # monitor.matching reads mappings
                previous = records.get(str(incident["id"]), stored)
                matches = self.sync.index.match(incident)
                decisions, record = decide_alerts(incident, matches, previous)
                wants = {d.buyer_id: d.materials for d in decisions
                         if d.kind != "all_clear" and d.materials}  # fmt: skip
                suggestions: dict[int, list[dict[str, Any]]] = {}
                if wants:
                    try:
                        suggestions = for_buyers(
                            session=session, wants=wants, places=incident.get("places") or [],
                            countries=incident.get("countries") or [], settings=self.settings,
                        )  # fmt: skip
                    except Exception:  # suggestions help; alerts without them still go
                        log.exception("suggestions for incident %s failed", incident["id"])
                alerts = [
                    AlertRecord.from_data(
                        alert_message(d, incident, suggestions.get(d.buyer_id, []))
                    )
                    for d in decisions
                ]
                records[str(incident["id"])] = record
                out.append(Matched(str(incident["id"]), record, alerts))
        return out

    async def run(self, fun: Any, *args: Any) -> Any:
        """Run `fun` on the matcher's thread."""
        return await asyncio.get_running_loop().run_in_executor(self.executor, fun, *args)


def freeze_once() -> None:
    """Move every object alive now out of the collector's sight, once per process."""
    # Called after the watch index's first full load: the index is long-lived and large, and
    # full collections walking it again and again paused matching for 30-470 ms at 50,000
    # watches. Only once, at start-up: the collector is process-wide (the event loop, the
    # consumer and every stage share it), a frozen object in a reference cycle is never
    # collected, and each freeze costs a full collection first; freezing on every refresh
    # would pin what the worker held at that moment (replaced watches, batches in flight)
    # and pause the whole process each time, for the few watches a later refresh brings.
    if gc.get_freeze_count():  # this process already froze (another app's matcher)
        return
    gc.collect()
    gc.freeze()


def register_match(app: faust.App, stage: Stage) -> Any:
    """Register the `match` agent and the watch refresh timer on `app`."""
    topics, metrics, settings = stage.topics, stage.metrics, stage.settings
    matcher = Matcher(settings)
    alerted = state_table(
        app, "alerted-buyers", "what each buyer was last alerted about, by incident"
    )

    async def handle(events: Sequence[faust.EventT]) -> None:
        incidents = [incident for _event, incident in await stage.decode(events, IncidentRecord)]
        if not incidents:
            return
        batch = [(incident, alerted.get(str(incident.id))) for incident in incidents]
        results = await matcher.run(matcher.alerts_for, batch)
        for result in results:
            for alert in result.alerts:
                await topics.alerts.send(key=str(alert.buyer_id), value=encode(alert))
        await app.producer.flush()  # remember what was alerted only once Kafka has it
        for result in results:
            alerted[result.incident_id] = result.alerted
        metrics.duplicates.labels("match")  # declared, so the series shows up at zero

    @app.agent(topics.incidents, name="match")
    async def match(stream: Any) -> None:
        """Match incidents against the watch index and send the alerts."""
        await stage.run(stream, handle)

    @app.timer(settings.matching.watch_refresh_s)
    async def refresh_watches() -> None:
        """Bring watches added, changed or deleted in the database into the index."""
        try:
            await matcher.run(matcher.refresh)
        except Exception as exc:  # the database may be away; the next refresh tries again
            log.warning("watch refresh failed: %s", exc)

    return match
