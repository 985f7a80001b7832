"""`GET /metrics`: Prometheus text; request counts and latencies by route, kept per app, and,
counted at each scrape, the feeds in each state (new, ok, failing, paused, disabled), the
false alarms by reason and the missed events buyers reported (no feed or buyer labels: their
number has no bound; per-feed precision is in `GET /feeds`)."""

from __future__ import annotations

import logging
import time
from typing import Any

from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from sqlalchemy.exc import SQLAlchemyError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from monitor.api.deps import SessionDep
from monitor.feedback import counts
from monitor.feeds import service as feeds

log = logging.getLogger(__name__)
router = APIRouter(tags=["health"])
# Label values come from fixed sets, so made-up methods and paths cannot grow /metrics:
# any other method counts as "other", any path no route matched as "unmatched".
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class Metrics:
    """The app's own registry (no global state: two apps in one process do not mix)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "monitor_api_requests", "API requests answered", ("method", "route", "status"),
            registry=self.registry,
        )  # fmt: skip
        self.latency = Histogram(
            "monitor_api_request_seconds", "time to the response's first byte", ("route",),
            registry=self.registry,
        )  # fmt: skip
        self.websub = Counter(
            "monitor_websub_deliveries",
            "WebSub deliveries by outcome (bad_signature: dropped, unsigned or signed wrong)",
            ("outcome",), registry=self.registry,
        )  # fmt: skip
        self.feeds = Gauge(
            "monitor_feeds", "feeds by state (paused: stopped after errors in a row)", ("state",),
            registry=self.registry,
        )  # fmt: skip
        self.false_alarms = Gauge(
            "monitor_false_alarms", "alerts marked false alarms, by the reason buyers gave",
            ("reason",), registry=self.registry,
        )  # fmt: skip
        self.missed_events = Gauge(
            "monitor_missed_events", "events buyers reported they were not alerted to",
            registry=self.registry,
        )  # fmt: skip


class MetricsMiddleware:
    """Count every HTTP request by method, route template and status (pure ASGI: streams pass)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                self.metrics.latency.labels(_route(scope)).observe(time.perf_counter() - start)
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.metrics.requests.labels(method, _route(scope), str(status["code"])).inc()


def _route(scope: Scope) -> str:
    # The template (/api/v1/alerts/{alert_id}), never the raw path: label values stay few.
    # An included router's route knows its path without the prefix; take that from the URL.
    template = getattr(scope.get("route"), "path", None)
    if template is None:
        return "unmatched"
    params: dict[str, Any] = scope.get("path_params") or {}
    try:
        concrete = template.format(**params)
    except (KeyError, IndexError, ValueError):
        return str(template)
    path: str = scope["path"]
    return path.removesuffix(concrete) + template if path.endswith(concrete) else str(template)


@router.get("/metrics", response_class=Response, responses={200: {"content": {"text/plain": {}}}})
def metrics(request: Request, session: SessionDep) -> Response:
    """Prometheus metrics in the text exposition format (no key needed)."""
    gauges: Metrics = request.app.state.metrics
    try:
        for state, count in feeds.state_counts(session=session).items():
            gauges.feeds.labels(state).set(count)
        totals = counts.totals(session=session)
        for reason, count in totals.false_alarms.items():
            gauges.false_alarms.labels(reason).set(count)
        gauges.missed_events.set(totals.missed_events)
    except SQLAlchemyError:  # the request counts still help while the database is away
        log.warning("metrics: cannot count feeds and feedback; the database did not answer")
    data = generate_latest(request.app.state.metrics.registry)
    return Response(data, media_type=CONTENT_TYPE_LATEST)
