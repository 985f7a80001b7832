"""The incidents agent: disruptions, keyed by cluster key, into incidents.

The tag stage sends each disruption with its cluster key as the message key, so Kafka's
partitioner puts every report of one cluster on one partition, where one worker owns the
cluster's state: the repartition that `group_by` would do, without a second topic and hop. A
report that arrives under another key (from another producer) is sent again under its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import faust

from monitor.db import session_scope
from monitor.incidents import Change, ClusterRules, apply_report, cluster_key, expire
from monitor.incidents.store import save_incidents
from streams.app import state_table
from streams.records import DecodeError, DisruptionRecord, IncidentRecord, decode, encode
from streams.stage import Stage


def rules_from(settings: Any) -> ClusterRules:
    """Return the clustering rules the settings give."""
    return ClusterRules(
        distance_km=settings.incident_distance_km,
        window=timedelta(hours=settings.incident_window_h),
        expiry=timedelta(hours=settings.incident_expiry_h),
        keep_closed=timedelta(hours=settings.incident_keep_closed_h),
    )


def key_text(key: Any) -> str | None:
    """Return a message key as text (keys are raw bytes on the wire)."""
    return key.decode("utf-8", errors="replace") if isinstance(key, bytes) else key


def register_incidents(app: faust.App, stage: Stage) -> Any:
    """Register the `incidents` agent and the expiry timer on `app`."""
    topics, metrics, settings = stage.topics, stage.metrics, stage.settings
    rules = rules_from(settings)
    clusters = state_table(
        app, "incident-clusters", "open and recently closed incidents by cluster key"
    )
    lock = asyncio.Lock()  # the agent and the expiry timer both rewrite clusters

    async def publish(states: dict[str, Any], changes: list[Change]) -> None:
        """Persist the changed incidents, emit the ones buyers hear of, then keep the state."""
        if changes:
            incidents = [c.incident for c in changes]
            await asyncio.to_thread(_save, settings, incidents)
        for change in changes:
            metrics.incidents.labels(change.event).inc()
            if change.emitted:
                record = IncidentRecord.from_data({**change.incident, "event": change.event})
                await topics.incidents.send(key=change.incident["id"], value=encode(record))
        await app.producer.flush()  # the state moves on only once the output is acknowledged
        for key, state in states.items():
            clusters[key] = state

    async def handle(events: Sequence[faust.EventT]) -> None:
        states: dict[str, Any] = {}
        changes: list[Change] = []
        now = datetime.now(UTC)
        async with lock:
            for event in events:
                try:
                    report = decode(event.value, DisruptionRecord).asdict()
                except DecodeError as exc:
                    await stage.dead_letter(str(exc), event)
                    continue
                key = cluster_key(report)
                if key_text(event.key) != key:  # not from the tag stage: move it to its
                    await topics.disruptions.send(key=key, value=event.value)  # partition
                    metrics.repartitioned.inc()
                    continue
                state = states[key] if key in states else clusters.get(key)
                states[key], found = apply_report(state, report, now=now, rules=rules)
                changes += found
            await publish(states, changes)

    @app.agent(topics.disruptions, name="incidents")
    async def incidents(stream: Any) -> None:
        """Cluster reports; a cluster lives on one partition (disruptions are keyed by it)."""
        await stage.run(stream, handle)

    @app.timer(settings.incident_expiry_check_s)
    async def expire_incidents() -> None:
        """Expire open incidents that had no report for the configured time."""
        now = datetime.now(UTC)
        async with lock:
            states, changes = {}, []
            for key, state in list(clusters.items()):
                new, found = expire(state, now=now, rules=rules)
                if found:
                    states[key] = new
                    changes += found
            if changes:
                await publish(states, changes)

    return incidents


def _save(settings: Any, incidents: list[dict[str, Any]]) -> None:
    with session_scope(settings) as session:
        save_incidents(session, incidents)
