"""End to end on the real broker: items → tag → incidents → match → deliver, 1..N workers.

Items are a realistic mix: the bundled sample feeds' and the shared fixture feeds' news items
(copied under new ids), and about one in five a port disruption (a strike at one of thirty real
ports). Each run has its own topics, app id and database, and `--workers N` worker processes
(`monitor worker`, as deployed). Printed per worker count:

- sustained items/s: a batch of items produced at once, timed from the first send until the
  worker group has committed every message of every pipeline topic (commits every 1 s, so the
  figure is slightly low);
- produce→alert latency p50/p99 at half that rate: the same mix at half the rate, where each
  disruption is a new event (a fire, flood or explosion at a port nobody reported yet; a fire
  and an explosion at one port are one `fire_explosion` incident); latency is each alert row's
  time minus the send of the earliest paced item among its incident's sources.

Run: MONITOR_KAFKA_PORT=... .venv/bin/python bench/pipeline.py [--workers 1 2] [--items 40000]
A short batch weighs the start more (consumers joining, the tagger process warming up): in
interleaved runs one worker measured 653-671 items/s at 8,000 items and 757-791 at 40,000.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from operator import attrgetter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlmodel import select  # noqa: E402

from connectors import registry  # noqa: E402
from connectors.base import Item  # noqa: E402
from connectors.producer import ItemProducer  # noqa: E402
from monitor import db  # noqa: E402
from monitor.db import session_scope  # noqa: E402
from monitor.local import broker  # noqa: E402
from monitor.local.topics import ensure_topics  # noqa: E402
from monitor.models import Alert, Buyer, Watch  # noqa: E402
from monitor.settings import Settings, get_settings  # noqa: E402

SAMPLES = ROOT / "deploy" / "samples"
FIXTURES = ROOT.parent / "shared" / "fixtures"
NEWS = {
    SAMPLES / "demo-news.xml": "rss",
    SAMPLES / "gdacs-rss.xml": "gdacs",
    SAMPLES / "usgs-all-day.geojson": "usgs",
    SAMPLES / "nws-alerts.json": "nws",
    FIXTURES / "rss" / "rss_2.0_nbcny.xml": "rss",
    FIXTURES / "rss" / "rss_2.0_spiegel.xml": "rss",
    FIXTURES / "rss" / "rss_2.0_ilgiornale.xml": "rss",
    FIXTURES / "rss" / "atom_example_reddit.xml": "rss",
}
PORTS = {  # a port the tagger places, and its country
    "Antwerp": "BE", "Rotterdam": "NL", "Hamburg": "DE", "Le Havre": "FR", "Genoa": "IT",
    "Piraeus": "GR", "Gdansk": "PL", "Felixstowe": "GB", "Santos": "BR", "Durban": "ZA",
    "Mombasa": "KE", "Chittagong": "BD", "Colombo": "LK", "Karachi": "PK", "Busan": "KR",
    "Yokohama": "JP", "Manila": "PH", "Jakarta": "ID", "Haiphong": "VN", "Laem Chabang": "TH",
    "Port Klang": "MY", "Veracruz": "MX", "Callao": "PE", "Valparaiso": "CL",
    "Buenos Aires": "AR", "Lagos": "NG", "Tema": "GH", "Abidjan": "CI", "Alexandria": "EG",
}  # fmt: skip
STRIKE = (
    "Dockworkers strike halts container terminals at the port of {port}",
    "A strike by dockworkers halted operations at the port of {port}; ships are waiting.",
)
NEW_EVENTS = [
    ("Fire breaks out at the port of {port}, terminals closed",
     "A large fire broke out at the port of {port}; container terminals are closed."),
    ("Flooding closes the port of {port}",
     "Heavy flooding closed the port of {port}; cargo handling is suspended."),
    ("Explosion at the port of {port} halts operations",
     "An explosion at the port of {port} halted operations at the container terminals."),
]  # fmt: skip
ENV = ("database_url", "data_dir", "streams.app_id", "topics.items", "topics.disruptions",
       "topics.incidents", "topics.alerts", "topics.dead_letters", "streams.batch_within_s",
       "matching.watch_refresh_s")  # fmt: skip


def news_items() -> list[Item]:
    """Return the news items of the sample and fixture feeds."""
    out: list[Item] = []
    for path, kind in NEWS.items():
        out += registry.parse(path.read_bytes(), kind=kind, feed_id=1, url="https://example.org/")
    return out


def port_item(template: tuple[str, str], port: str, published: str) -> Item:
    title, body = template
    return Item(id="", feed_id=1, kind="rss", title=title.format(port=port),
                body=body.format(port=port), url="https://example.org/news",
                published=published, language="en")  # fmt: skip


def mix(count: int, news: list[Item], disruptions: list[Item], rng: random.Random) -> list[Item]:
    """Return `count` items under new ids: four news items, then a disruption, and so on."""
    out = []
    for n in range(count):
        source = disruptions.pop(0) if n % 5 == 4 and disruptions else rng.choice(news)
        out.append(dataclasses.replace(source, id=f"bench-{uuid.uuid4().hex}"))
    return out


def fresh_settings(base: Settings, tmp: Path, database_url: str | None) -> Settings:
    """Return settings with their own topics, app id and database, with one buyer per port."""
    run = uuid.uuid4().hex[:8]
    settings = base.updated(
        database_url=database_url or f"sqlite:///{tmp / f'{run}.db'}",
        data_dir=tmp / run,
        streams={"app_id": f"bench-pipeline-{run}", "batch_within_s": 0.05},
        topics={n: f"bench-{n}-{run}" for n in
                ("items", "disruptions", "incidents", "alerts", "dead_letters")},
        matching={"watch_refresh_s": 2.0},
    )  # fmt: skip
    settings.data_dir.mkdir(parents=True)
    ensure_topics(settings)
    db.upgrade(settings)
    with session_scope(settings) as session:
        for port, country in PORTS.items():
            buyer = Buyer(name=f"buyer near {port} {run}")
            session.add(buyer)
            session.flush()
            session.add(Watch(buyer_id=buyer.id or 0, name=f"cocoa from {country}",
                              materials=["cocoa"], countries=[country]))  # fmt: skip
    return settings


def start_workers(settings: Settings, count: int, log: Path) -> list[subprocess.Popen[bytes]]:
    env = {**os.environ, "MONITOR_STREAMS_WEB_ENABLED": "false"}
    env.update(
        {"MONITOR_" + p.replace(".", "_").upper(): str(attrgetter(p)(settings)) for p in ENV}
    )
    out = log.open("ab")
    return [
        subprocess.Popen(
            [sys.executable, "-m", "monitor", "worker", "--loglevel", "warning"],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        for _ in range(count)
    ]


class Group:
    """Reads the worker group's committed offsets against the pipeline topics' end offsets."""

    def __init__(self, settings: Settings) -> None:
        from kafka import KafkaAdminClient, KafkaConsumer

        self.settings = settings
        self.behind: dict[str, int] = {}
        self.admin = KafkaAdminClient(bootstrap_servers=settings.kafka.servers)
        self.consumer = KafkaConsumer(bootstrap_servers=settings.kafka.servers)

    def drained(self) -> bool:
        from kafka import TopicPartition
        from kafka.errors import KafkaError

        s = self.settings
        topics = [s.topics.items, s.topics.disruptions, s.topics.incidents, s.topics.alerts]
        topics += [
            t for t in self.consumer.topics() if s.topics.disruptions in t and t != topics[1]
        ]
        parts = [TopicPartition(t, p) for t in topics
                 for p in self.consumer.partitions_for_topic(t) or ()]  # fmt: skip
        ends = self.consumer.end_offsets(parts)
        try:
            done = self.admin.list_group_offsets(s.streams.app_id).get(s.streams.app_id, {})
        except KafkaError:  # the group is not there yet
            return False
        self.behind = {f"{tp.topic}/{tp.partition}": end - (done[tp].offset if tp in done else 0)
                       for tp, end in ends.items()}  # fmt: skip
        return all(n <= 0 for n in self.behind.values())

    def lag(self) -> dict[str, int]:
        return {k: n for k, n in self.behind.items() if n > 0}

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not self.drained():
            if time.monotonic() > deadline:
                raise SystemExit(
                    f"error: the workers did not drain the topics in time: {self.lag()}"
                )
            time.sleep(0.2)

    def close(self) -> None:
        self.admin.close()
        self.consumer.close()


def produce(producer: ItemProducer, items: list[Item]) -> None:
    acked, error = producer.produce(items)
    if error or len(acked) != len(items):
        raise SystemExit(f"error: Kafka did not take the items: {error}")


def latencies(settings: Settings, sent: dict[str, datetime]) -> list[float]:
    """Return, per stored alert about a paced item, ms from that item's send to the alert row."""
    out = []
    with session_scope(settings) as session:
        for alert in session.exec(select(Alert)).all():
            times = [sent[s["item_id"]] for s in alert.incident.get("sources") or []
                     if s.get("item_id") in sent]  # fmt: skip
            if times:
                at = alert.created_at.replace(tzinfo=UTC)
                out.append((at - min(times)).total_seconds() * 1000)
    return sorted(out)


def run(base: Settings, tmp: Path, workers: int, args: argparse.Namespace) -> None:
    settings = fresh_settings(base, tmp, args.database_url)
    news = news_items()
    rng = random.Random(7)
    now = datetime.now(UTC).isoformat()
    strikes = [port_item(STRIKE, rng.choice(list(PORTS)), now) for _ in range(args.items)]
    fresh = [port_item(t, p, now) for t in NEW_EVENTS for p in PORTS]
    procs = start_workers(settings, workers, tmp / "workers.log")
    producer = ItemProducer(settings)
    group = Group(settings)
    try:
        produce(producer, mix(20, news, strikes[:4], rng))  # warm up: spaCy, partitions
        group.wait(args.warmup)
        items = mix(args.items, news, strikes, rng)
        start = time.monotonic()
        for i in range(0, len(items), 500):
            produce(producer, items[i : i + 500])
        group.wait(1800)
        rate = len(items) / (time.monotonic() - start)
        print(f"workers {workers}: {len(items)} items in {len(items) / rate:.1f}s = "
              f"{rate:.0f} items/s end to end", flush=True)  # fmt: skip
        half, sent = rate / 2, {}
        paced = mix(len(fresh) * 5, news, list(fresh), rng)
        tick, t0 = 0.1, time.monotonic()
        per_tick = max(1, round(half * tick))
        for n, i in enumerate(range(0, len(paced), per_tick)):
            time.sleep(max(0.0, t0 + n * tick - time.monotonic()))
            batch = paced[i : i + per_tick]
            at = datetime.now(UTC)
            produce(producer, batch)
            sent.update({item.id: at for item in batch})
        group.wait(600)
        time.sleep(1)  # the last alert rows
        lat = latencies(settings, sent)
        if len(lat) < 2:
            print(f"workers {workers}: only {len(lat)} alerts came back", flush=True)
            return
        p99 = lat[min(len(lat) - 1, round(0.99 * (len(lat) - 1)))]
        print(f"workers {workers}: at {half:.0f} items/s, {len(lat)} alerts from {len(fresh)} "
              f"new-event items: produce→alert p50 {statistics.median(lat):.0f} ms, "
              f"p99 {p99:.0f} ms, max {lat[-1]:.0f} ms", flush=True)  # fmt: skip
    finally:
        group.close()
        producer.close()
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--items", type=int, default=40000, help="items in the throughput batch")
    parser.add_argument(
        "--warmup", type=float, default=300, help="seconds the workers may take to start"
    )
    parser.add_argument("--database-url", help="default: a new SQLite file per run")
    args = parser.parse_args()
    base = get_settings()
    print(f"kafka: {broker.start(base)}; {os.cpu_count()} cores", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-pipeline-") as tmp:
        for workers in args.workers:
            run(base, Path(tmp), workers, args)


if __name__ == "__main__":
    main()
