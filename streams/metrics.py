"""Prometheus metrics of one worker, served as text on the worker's web port at /metrics."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import faust
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class LagCollector(Collector):
    """Consumer lag per topic partition, read from Faust's monitor when scraped."""

    def __init__(self, app: faust.App) -> None:
        self.app = app

    def collect(self) -> Iterator[GaugeMetricFamily]:
        lag = GaugeMetricFamily(
            "monitor_consumer_lag", "Messages not yet committed", labels=["topic", "partition"]
        )
        monitor: Any = self.app.monitor
        ends = getattr(monitor, "tp_end_offsets", None) or {}
        committed = getattr(monitor, "tp_committed_offsets", None) or {}
        for tp, end in sorted(ends.items()):
            done = committed.get(tp, 0)
            lag.add_metric([tp.topic, str(tp.partition)], max(0, end - done))
        yield lag


class Metrics:
    """The counters and histograms the agents update; one registry per app."""

    def __init__(self, app: faust.App) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.items_in = Counter("monitor_items_in", "Items read by the tag stage", registry=r)
        self.duplicates = Counter("monitor_duplicates", "Messages a stage had already handled",
                                  ["stage"], registry=r)  # fmt: skip
        self.disruptions = Counter("monitor_disruptions", "Disruptions tagged", registry=r)
        self.recoveries = Counter("monitor_recoveries", "Recoveries tagged", registry=r)
        self.incidents = Counter("monitor_incidents", "Incident changes by event (opened, "
                                 "updated, closed, expired)", ["event"], registry=r)  # fmt: skip
        self.alerts = Counter("monitor_alerts", "Alerts by kind", ["kind"], registry=r)
        self.dead_letters = Counter("monitor_dead_letters", "Dead letters by stage", ["stage"],
                                    registry=r)  # fmt: skip
        self.latency = Histogram("monitor_stage_seconds", "Time to process one batch, by stage",
                                 ["stage"], buckets=LATENCY_BUCKETS, registry=r)  # fmt: skip
        r.register(LagCollector(app))

        @app.page("/metrics")
        async def metrics(web: Any, request: Any) -> Any:
            """Serve the metrics in the Prometheus text format."""
            return web.text(generate_latest(r).decode(), content_type="text/plain; version=0.0.4")

    def text(self) -> str:
        """Return the metrics as Prometheus text (tests and logs read it)."""
        return generate_latest(self.registry).decode()
