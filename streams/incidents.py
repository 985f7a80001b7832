"""The incidents agent: disruptions, regrouped by cluster key, into incidents."""

from __future__ import annotations

import asyncio
import json
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


def key_of(value: Any) -> str:
    """Return a report's cluster key; an unreadable value gets its own key (and a dead letter)."""
    try:
        return cluster_key(json.loads(value))
    except (ValueError, TypeError, AttributeError):
        return "undecodable"


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
            sources = [(c.incident["id"], c.source) for c in changes if c.source is not None]
            await asyncio.to_thread(_save, settings, incidents, sources)
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
                state = states[key] if key in states else clusters.get(key)
                states[key], found = apply_report(state, report, now=now, rules=rules)
                changes += found
            await publish(states, changes)

    @app.agent(topics.disruptions, name="incidents")
    async def incidents(stream: Any) -> None:
        """Cluster reports; a cluster lives on one partition (grouped by its key)."""
        await stage.run(stream.group_by(key_of, name="by-cluster"), handle)

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


def _save(
    settings: Any, incidents: list[dict[str, Any]], sources: list[tuple[str, dict[str, Any]]]
) -> None:
    with session_scope(settings) as session:
        save_incidents(session, incidents, sources)
