"""Publish → alert latency on the real pipeline: a local feed server publishes at random times.

A feed server on 127.0.0.1 (tests/servers/feedserver.py) serves `--feeds` RSS feeds: real news
items from the fixture feeds, with ETags; at `--items` random times within `--duration` seconds
a disruption report appears on one of them (a strike, fire or flood at one of thirty real
ports, each a new incident). One buyer per port's country watches it. The real stages run as
deployed: the local Kafka, `monitor connectors run` polling the feeds and `monitor worker` (tag,
incidents, match, deliver into a fresh database). Printed: publish → item on Kafka,
→ incident, → alert row, each p50/p95/max, for one `--mode`:

- polling: plain polling, every feed at its `--interval` (a feed's default interval is 600 s);
- adaptive: MONITOR_POLLING_ADAPTIVE on, with the polling group's adaptive_min_s/max_s; a feed
  learns its pace from its new items, so `--lead-in S` publishes for S seconds before the
  measured window (those items are not counted);
- websub: each feed names a local hub (tests/servers/websub_hub.py) in its Link header; the
  connectors subscribe, `monitor api` serves the callback, and every report is pushed by the
  hub as it is published (the feeds are still polled, `websub_fallback_factor` times slower).

Run: MONITOR_KAFKA_PORT=... .venv/bin/python bench/latency.py [--mode polling] [--duration 300]
     [--interval 60] [--feeds 5] [--items 20] [--database-url postgresql+psycopg://… (empty)]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from bench.pipeline import NEW_EVENTS, PORTS, STRIKE, Group  # noqa: E402
from connectors import registry  # noqa: E402
from connectors.base import Item  # noqa: E402
from monitor import db  # noqa: E402
from monitor.db import session_scope  # noqa: E402
from monitor.local import broker  # noqa: E402
from monitor.local.topics import ensure_topics  # noqa: E402
from monitor.models import Alert, Buyer, Feed, Watch  # noqa: E402
from monitor.settings import Settings, get_settings  # noqa: E402

MODES = ("polling", "adaptive", "websub")
# Three kinds of event at each port: every report opens its own incident (a fire and an
# explosion at one port would be one fire_explosion incident, so explosions are left out).
TEMPLATES = (STRIKE, NEW_EVENTS[0], NEW_EVENTS[1])
BACKGROUND = 10  # news items each feed lists besides its reports
KEPT = 20  # newest reports a feed lists, beside its background news
PROGRESS_S = 15.0


@dataclass(frozen=True)
class Publication:
    """One report the feed server publishes `at_s` seconds after the start."""

    at_s: float
    feed: int
    title: str
    body: str
    measured: bool = True  # False during the lead-in


def publish_schedule(
    *, items: int, feeds: int, duration_s: float, lead_in_s: float = 0.0, rng: random.Random
) -> list[Publication]:
    """Return `items` reports at uniform random times in the window, on random feeds, in order.

    The lead-in before the window gets reports at the same pace; each report is a different
    event (kind and port), so each opens a new incident.
    """
    extra = round(items * lead_in_s / duration_s) if duration_s > 0 else 0
    events = [(template, port) for template in TEMPLATES for port in PORTS]
    if items + extra > len(events):
        raise ValueError(
            f"{items + extra} reports asked for, but only {len(events)} distinct events exist"
        )
    chosen = rng.sample(events, items + extra)
    times = sorted([rng.uniform(0, lead_in_s) for _ in range(extra)]) + sorted(
        lead_in_s + rng.uniform(0, duration_s) for _ in range(items)
    )
    return [
        Publication(at, rng.randrange(feeds), title.format(port=port), body.format(port=port),
                    measured=at >= lead_in_s)
        for at, ((title, body), port) in zip(times, chosen, strict=True)
    ]  # fmt: skip


def percentile(values: Sequence[float], q: float) -> float:
    """Return the nearest-rank `q`th percentile (0 < q <= 100) of `values`."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]


def summary(values: Sequence[float], expected: int) -> str:
    """Return `p50 … p95 … max …` in seconds, and how many of `expected` came back."""
    if not values:
        return f"none of {expected} came back"
    p50, p95, top = (
        seconds(x) for x in (percentile(values, 50), percentile(values, 95), max(values))
    )
    return f"p50 {p50} s, p95 {p95} s, max {top} s ({len(values)} of {expected})"


def seconds(value: float) -> str:
    """Return `value` in six characters: hundredths below 10 s, tenths above."""
    return f"{value:6.2f}" if value < 10 else f"{value:6.1f}"


def render_rss(name: str, entries: Iterable[tuple[str, str, str, datetime]]) -> bytes:
    """Return an RSS 2.0 document of (title, body, link, published) entries."""
    items = "".join(
        f"<item><title>{escape(title)}</title><link>{escape(link)}</link>"
        f'<guid isPermaLink="true">{escape(link)}</guid><description>{escape(body)}'
        f"</description><pubDate>{format_datetime(at, usegmt=True)}</pubDate></item>"
        for title, body, link, at in entries
    )
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{escape(name)}</title><link>http://127.0.0.1/</link>"
        f"<description>bench/latency.py</description>{items}</channel></rss>"
    ).encode()


def background_news() -> list[Item]:
    """Return real news that reports no disruption: the fixture RSS feeds' items, and the
    written demo feed's negatives (prices, earnings, trade deals)."""
    news = [item for path in sorted((ROOT / "tests" / "fixtures" / "rss").glob("*.xml"))
            for item in registry.parse(path.read_bytes(), kind="rss", url=path.name)]  # fmt: skip
    demo = (ROOT / "deploy" / "samples" / "demo-news.xml").read_bytes()
    return news + [i for i in registry.parse(demo, kind="rss", url="demo") if "-neg-" in i.raw]


class Feeds:
    """The bench's feeds on the local feed server: background news plus what was published."""

    def __init__(self, server: Any, count: int, hub: Any = None) -> None:
        self.server = server
        self.count = count
        self.hub = hub  # a WebSub hub the feeds name and that pushes each report, or None
        self.refused = 0  # pushes the callback did not take
        news = background_news()
        now = datetime.now(UTC)
        self.background = [
            [(i.title, i.body, i.url or f"http://127.0.0.1/news/{n}-{k}", now)
             for k, i in enumerate((news[n:] + news[:n])[:BACKGROUND])]
            for n in range(count)
        ]  # fmt: skip
        self.reports: list[list[tuple[str, str, str, datetime]]] = [[] for _ in range(count)]
        self.published: dict[str, datetime] = {}  # link → when it became visible
        self.measured: set[str] = set()
        for n in range(count):
            self._serve(n)

    def path(self, n: int) -> str:
        return f"/feed/{n}"

    def _serve(self, n: int) -> bytes:
        entries = self.reports[n][-KEPT:][::-1] + self.background[n]
        body = render_rss(f"bench feed {n}", entries)
        etag = f'"{n}-{len(self.reports[n])}"'
        url = self.server.url(self.path(n))
        headers = {"Link": f'<{self.hub.url}>; rel="hub", <{url}>; rel="self"'} if self.hub else {}
        self.server.serve(self.path(n), body=body, etag=etag, headers=headers)
        return body

    def publish(self, publication: Publication, serial: int) -> None:
        """Make one report visible on its feed now (the route is swapped in one assignment)."""
        n = publication.feed
        link = self.server.url(f"/news/{serial}")
        at = datetime.now(UTC).replace(microsecond=0)  # RSS dates have whole seconds
        self.reports[n].append((publication.title, publication.body, link, at))
        body = self._serve(n)
        self.published[link] = datetime.now(UTC)
        if publication.measured:
            self.measured.add(link)
        if self.hub is not None:  # as a publisher pings its hub, which pushes the new feed
            topic = self.server.url(self.path(n))
            statuses = self.hub.publish(topic, body, content_type="application/rss+xml")
            self.refused += sum(1 for status in statuses if not 200 <= status < 300)


def fresh_settings(base: Settings, workdir: Path, args: argparse.Namespace) -> Settings:
    """Return settings with their own topics, app id, database and polling mode."""
    run = uuid.uuid4().hex[:8]
    # Every bench feed is on 127.0.0.1; real feeds come from many hosts, so the one-request-
    # per-host gap would measure the bench's single host, not the poller.
    polling: dict[str, Any] = {"adaptive": args.mode == "adaptive", "host_gap_s": 0.0}
    api: dict[str, Any] = {}
    if args.mode == "websub":
        port = free_port()
        api = {"port": port, "public_url": f"http://127.0.0.1:{port}"}
        polling["websub_check_s"] = 1.0  # subscribe soon after the first poll: a shorter start
    if args.adaptive_min_s is not None:
        polling["adaptive_min_s"] = args.adaptive_min_s
    if args.adaptive_max_s is not None:
        polling["adaptive_max_s"] = args.adaptive_max_s
    settings = base.updated(
        database_url=args.database_url or f"sqlite:///{workdir / f'{run}.db'}",
        data_dir=workdir / run,
        streams={"app_id": f"bench-latency-{run}"},
        topics={n: f"bench-{n}-{run}" for n in
                ("items", "disruptions", "incidents", "alerts", "dead_letters")},
        fetch={"allow_private_hosts": ["127.0.0.1"]},
        polling=polling,
        api=api,
    )  # fmt: skip
    settings.data_dir.mkdir(parents=True)
    ensure_topics(settings)
    db.upgrade(settings)
    return settings


def free_port() -> int:
    """Return a TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(settings: Settings, feeds: Feeds, interval_s: int) -> None:
    """Add one buyer per port's country with a watch on it, and the bench feeds."""
    with session_scope(settings) as session:
        for port, country in PORTS.items():
            buyer = Buyer(name=f"buyer near {port}")
            session.add(buyer)
            session.flush()
            session.add(Watch(buyer_id=buyer.id or 0, name=f"cocoa from {country}",
                              materials=["cocoa"], countries=[country]))  # fmt: skip
        for n in range(feeds.count):
            url = feeds.server.url(feeds.path(n))
            session.add(Feed(url=url, name=f"bench feed {n}", interval_s=interval_s))


ENV = {  # the settings the children must share with the bench
    "MONITOR_DATABASE_URL": "database_url", "MONITOR_DATA_DIR": "data_dir",
    "MONITOR_STREAMS_APP_ID": "streams.app_id", "MONITOR_TOPICS_ITEMS": "topics.items",
    "MONITOR_TOPICS_DISRUPTIONS": "topics.disruptions",
    "MONITOR_TOPICS_INCIDENTS": "topics.incidents", "MONITOR_TOPICS_ALERTS": "topics.alerts",
    "MONITOR_TOPICS_DEAD_LETTERS": "topics.dead_letters",
    "MONITOR_FETCH_ALLOW_PRIVATE_HOSTS": "fetch.allow_private_hosts",
    "MONITOR_POLLING_ADAPTIVE": "polling.adaptive",
    "MONITOR_POLLING_HOST_GAP_S": "polling.host_gap_s",
    "MONITOR_POLLING_ADAPTIVE_MIN_S": "polling.adaptive_min_s",
    "MONITOR_POLLING_ADAPTIVE_MAX_S": "polling.adaptive_max_s",
    "MONITOR_POLLING_WEBSUB_CHECK_S": "polling.websub_check_s",
    "MONITOR_API_PORT": "api.port", "MONITOR_API_PUBLIC_URL": "api.public_url",
}  # fmt: skip


def child_env(settings: Settings) -> dict[str, str]:
    """Return the environment of the worker and connectors: this run's settings."""
    env = {**os.environ, "MONITOR_STREAMS_WEB_ENABLED": "false"}
    for name, path in ENV.items():
        value: Any = settings
        for part in path.split("."):
            value = getattr(value, part)
        if value is not None:
            env[name] = json.dumps(value) if isinstance(value, list | bool) else str(value)
    return env


def start(settings: Settings, logs: Path) -> list[subprocess.Popen[bytes]]:
    """Start `monitor worker`, `monitor connectors run` (and `monitor api` for WebSub's
    callback), as deployed, logging to `logs`."""
    env, me = child_env(settings), [sys.executable, "-m", "monitor"]
    children = {"worker": ["worker", "--loglevel", "warning"], "connectors": ["connectors", "run"]}
    if settings.api.public_url:
        children["api"] = ["api"]
    procs = []
    for name, command in children.items():
        out = (logs / f"{name}.log").open("ab")
        procs.append(subprocess.Popen([*me, *command], stdout=out, stderr=subprocess.STDOUT,
                                      env=env))  # fmt: skip
    return procs


def polled_all(settings: Settings) -> bool:
    """Return whether every bench feed has been polled once."""
    with session_scope(settings) as session:
        feeds = session.exec(select(Feed)).all()
        return bool(feeds) and all(feed.last_success_at is not None for feed in feeds)


def wait_ready(feeds: Feeds, settings: Settings, procs: list[subprocess.Popen[bytes]],
               timeout: float) -> None:  # fmt: skip
    """Wait until every feed was polled (and its hub subscribed, for WebSub) and the worker
    drained what that produced."""
    deadline = time.monotonic() + timeout
    while not polled_all(settings) or not subscribed(feeds):
        check_alive(procs)
        if time.monotonic() > deadline:
            raise SystemExit("error: the connectors did not poll (or subscribe) every feed in time")
        time.sleep(1)
    group = Group(settings)
    try:
        group.wait(max(1.0, deadline - time.monotonic()))
    finally:
        group.close()


def subscribed(feeds: Feeds) -> bool:
    """Return whether the hub checked our intent for every feed (True without a hub)."""
    if feeds.hub is None:
        return True
    topics = {s.topic for s in list(feeds.hub.subscriptions.values()) if s.verified}
    return all(feeds.server.url(feeds.path(n)) in topics for n in range(feeds.count))


def check_alive(procs: list[subprocess.Popen[bytes]]) -> None:
    """Stop the bench when the worker or the connectors exited (see their logs)."""
    for proc in procs:
        if proc.poll() is not None:
            raise SystemExit(f"error: {proc.args!r} exited with code {proc.returncode}")


def alerted(settings: Settings, published: dict[str, datetime]) -> dict[str, datetime]:
    """Return, per published link, when its first alert row was written."""
    out: dict[str, datetime] = {}
    with session_scope(settings) as session:
        for alert in session.exec(select(Alert)).all():
            at = alert.created_at.replace(tzinfo=UTC)
            for source in alert.incident.get("sources") or []:
                link = source.get("url")
                if link in published and (link not in out or at < out[link]):
                    out[link] = at
    return out


def on_kafka(settings: Settings, published: dict[str, datetime]) -> dict[str, dict[str, datetime]]:
    """Return, per topic (items, incidents), when each published link first reached it."""
    from kafka import KafkaConsumer

    out: dict[str, dict[str, datetime]] = {}
    for label, topic in (
        ("items", settings.topics.items),
        ("incidents", settings.topics.incidents),
    ):
        seen: dict[str, datetime] = {}
        consumer = KafkaConsumer(
            topic,
            bootstrap_servers=settings.kafka.servers,
            auto_offset_reset="earliest",
            consumer_timeout_ms=3000,
        )
        for record in consumer:
            value = json.loads(record.value)
            at = datetime.fromtimestamp(record.timestamp / 1000, UTC)
            links = [value.get("url")] + [s.get("url") for s in value.get("sources") or []]
            for link in links:
                if link in published and link not in seen:
                    seen[link] = at
        consumer.close()
        out[label] = seen
    return out


def latencies(
    published: dict[str, datetime], reached: dict[str, datetime], measured: set[str]
) -> list[float]:
    """Return seconds from publish to `reached` for each measured link that got there."""
    return sorted((reached[link] - published[link]).total_seconds()
                  for link in measured if link in reached)  # fmt: skip


def progress(began: float, feeds: Feeds, settings: Settings, total: int) -> None:
    done = alerted(settings, feeds.published)
    measured = sum(1 for link in feeds.measured if link in done)
    print(f"[{time.monotonic() - began:5.0f}s] published {len(feeds.published)}/{total}, "
          f"alerts for {len(done)}/{len(feeds.published)} "
          f"(measured {measured}/{len(feeds.measured)})", flush=True)  # fmt: skip


def run(settings: Settings, feeds: Feeds, plan: list[Publication], args: argparse.Namespace,
        procs: list[subprocess.Popen[bytes]]) -> None:  # fmt: skip
    """Publish the plan, wait for the alerts (at most `--grace` after the last), print figures."""
    began, last_progress = time.monotonic(), 0.0
    for serial, publication in enumerate(plan):
        while (wait := began + publication.at_s - time.monotonic()) > 0:
            if time.monotonic() - last_progress >= PROGRESS_S:
                last_progress = time.monotonic()
                progress(began, feeds, settings, len(plan))
            time.sleep(min(wait, 1.0))
        feeds.publish(publication, serial)
        check_alive(procs)
    deadline = time.monotonic() + args.grace
    while time.monotonic() < deadline:
        if feeds.measured <= alerted(settings, feeds.published).keys():
            break
        if time.monotonic() - last_progress >= PROGRESS_S:
            last_progress = time.monotonic()
            progress(began, feeds, settings, len(plan))
        check_alive(procs)
        time.sleep(1)
    progress(began, feeds, settings, len(plan))
    reached = on_kafka(settings, feeds.published)
    reached["alerts"] = alerted(settings, feeds.published)
    n = len(feeds.measured)
    for label, what in (("items", "item on Kafka"), ("incidents", "incident on Kafka"),
                        ("alerts", "alert row")):  # fmt: skip
        values = latencies(feeds.published, reached[label], feeds.measured)
        print(f"publish → {what:<17} {summary(values, n)}", flush=True)
    if feeds.hub is not None:
        print(f"pushes the callback refused: {feeds.refused}", flush=True)


def describe(settings: Settings, args: argparse.Namespace) -> str:
    p = settings.polling
    how = (f"adaptive (min {p.adaptive_min_s} s, max {p.adaptive_max_s or 'the interval'})"
           if p.adaptive else "plain")  # fmt: skip
    if settings.api.public_url:
        how = f"WebSub pushes, and {how}"
        interval = f"{args.interval} s, x{p.websub_fallback_factor} once pushed"
    else:
        interval = f"{args.interval} s"
    lead = f", {args.lead_in:.0f} s lead-in" if args.lead_in else ""
    return (f"mode {args.mode}: {how} polling, feeds' interval {interval}; "
            f"{args.feeds} feeds, {args.items} reports over {args.duration:.0f} s{lead}; "
            f"{os.cpu_count()} cores")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=MODES, default="polling")
    parser.add_argument(
        "--duration", type=float, default=300, help="seconds of publishing measured"
    )
    parser.add_argument("--feeds", type=int, default=5)
    parser.add_argument("--items", type=int, default=20, help="reports published in the window")
    parser.add_argument("--interval", type=int, default=60, help="each feed's interval_s (>= 30)")
    parser.add_argument("--lead-in", type=float, default=0.0,
                        help="seconds of publishing before the window, not measured")  # fmt: skip
    parser.add_argument(
        "--adaptive-min-s", type=int, help="default: MONITOR_POLLING_ADAPTIVE_MIN_S"
    )
    parser.add_argument(
        "--adaptive-max-s", type=int, help="default: MONITOR_POLLING_ADAPTIVE_MAX_S"
    )
    parser.add_argument("--grace", type=float, help="seconds to wait for alerts after the last "
                        "report (default: the interval + 120)")  # fmt: skip
    parser.add_argument(
        "--warmup", type=float, default=300, help="seconds the stages may take to start"
    )
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", help="an empty database (default: a new SQLite file)")
    args = parser.parse_args()
    if args.interval < 30:
        parser.error("--interval: feeds are polled every 30 s at most")
    args.grace = args.interval + 120.0 if args.grace is None else args.grace
    plan = publish_schedule(items=args.items, feeds=args.feeds, duration_s=args.duration,
                            lead_in_s=args.lead_in, rng=random.Random(args.seed))  # fmt: skip

    from tests.servers.feedserver import FeedServer

    base = get_settings()
    print(f"kafka: {broker.start(base)}", flush=True)
    server = FeedServer()
    server.start()
    hub = None
    if args.mode == "websub":
        from tests.servers.websub_hub import Hub

        hub = Hub()
        hub.start()
    with tempfile.TemporaryDirectory(prefix="bench-latency-") as tmp:
        settings = fresh_settings(base, Path(tmp), args)
        logs = base.data_dir / "bench" / settings.streams.app_id
        logs.mkdir(parents=True)
        feeds = Feeds(server, args.feeds, hub)
        seed(settings, feeds, args.interval)
        print(describe(settings, args), flush=True)
        procs = start(settings, logs)
        api = ", api" if settings.api.public_url else ""
        print(f"worker, connectors{api} started (logs in {logs}); waiting…", flush=True)
        try:
            began = time.monotonic()
            wait_ready(feeds, settings, procs, args.warmup)
            print(f"ready in {time.monotonic() - began:.0f} s; publishing", flush=True)
            run(settings, feeds, plan, args, procs)
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(60)
            server.stop()
            if hub is not None:
                hub.stop()


if __name__ == "__main__":
    main()
