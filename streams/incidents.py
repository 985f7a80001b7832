"""The incidents agent: disruptions, regrouped by cluster key, into incidents."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import faust

from monitor.db import session_scope
from monitor.incidents import Change, ClusterRules, apply_report, cluster_key, expire
from monitor.incidents.store import save_incidents
from streams.app import state_table
from streams.records import DisruptionRecord, IncidentRecord, encode
from streams.stage import Stage


def key_of(value: Any) -> str:
    """Return a report's cluster key; an unreadable value gets its own key (and a dead letter)."""
    try:
        return cluster_key(json.loads(value))
    except (ValueError, TypeError, AttributeError):
        return "undecodable"


@dataclass(frozen=True)
class Clustered:
    """What a batch of reports (or an expiry check) did to the clusters."""

    states: dict[str, Any]  # the new state of each cluster that changed, by cluster key
    changes: list[Change]

    def emitted(self) -> list[IncidentRecord]:
        """Return the incidents buyers hear of: every change but a quiet new source."""
        return [IncidentRecord.from_data({**c.incident, "event": c.event})
                for c in self.changes if c.emitted]  # fmt: skip


def cluster_reports(
    reports: Iterable[DisruptionRecord],
    clusters: Mapping[str, Any],
    *,
    now: datetime,
    rules: ClusterRules,
) -> Clustered:
    """Apply the reports, in order, to their clusters (`clusters` holds the stored states)."""
    states: dict[str, Any] = {}
    changes: list[Change] = []
    for record in reports:
        report = record.asdict()  # monitor.incidents reads mappings
        key = cluster_key(report)
        state = states[key] if key in states else clusters.get(key)
        states[key], found = apply_report(state, report, now=now, rules=rules)
        changes += found
    return Clustered(states, changes)


def expire_clusters(
    clusters: Mapping[str, Any], *, now: datetime, rules: ClusterRules
) -> Clustered:
    """Expire open incidents that had no report for the rules' expiry time."""
    states: dict[str, Any] = {}
    changes: list[Change] = []
    for key, state in list(clusters.items()):
        new, found = expire(state, now=now, rules=rules)
        if found:
            states[key] = new
            changes += found
    return Clustered(states, changes)


def register_incidents(app: faust.App, stage: Stage) -> Any:
    """Register the `incidents` agent and the expiry timer on `app`."""
    topics, metrics, settings = stage.topics, stage.metrics, stage.settings
    rules = ClusterRules.from_settings(settings.incidents)
    clusters = state_table(
        app, "incident-clusters", "open and recently closed incidents by cluster key"
    )
    lock = asyncio.Lock()  # the agent and the expiry timer both rewrite clusters

    async def publish(done: Clustered) -> None:
        """Persist the changed incidents, emit the ones buyers hear of, then keep the state."""
        if done.changes:
            await asyncio.to_thread(_save, settings, done.changes)
        for change in done.changes:
            metrics.incidents.labels(change.event).inc()
        for record in done.emitted():
            await topics.incidents.send(key=record.id, value=encode(record))
        await app.producer.flush()  # the state moves on only once the output is acknowledged
        for key, state in done.states.items():
            clusters[key] = state

    async def handle(events: Sequence[faust.EventT]) -> None:
        async with lock:
            reports = [report for _event, report in await stage.decode(events, DisruptionRecord)]
            await publish(cluster_reports(reports, clusters, now=datetime.now(UTC), rules=rules))

    @app.agent(topics.disruptions, name="incidents")
    async def incidents(stream: Any) -> None:
        """Cluster reports; a cluster lives on one partition (grouped by its key)."""
        await stage.run(stream.group_by(key_of, name="by-cluster"), handle)

    @app.timer(settings.incidents.expiry_check_s)
    async def expire_incidents() -> None:
        """Expire open incidents that had no report for the configured time."""
        async with lock:
            done = expire_clusters(clusters, now=datetime.now(UTC), rules=rules)
            if done.changes:
                await publish(done)

    return incidents


def _save(settings: Any, changes: list[Change]) -> None:
    incidents = [c.incident for c in changes]
    sources = [(c.incident["id"], c.source) for c in changes if c.source is not None]
    with session_scope(settings) as session:
        save_incidents(session, incidents, sources)
