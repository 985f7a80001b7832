"""Benchmark the connectors: N feeds from a local HTTP server, polled into the local Kafka.

A separate process serves real fixture bodies on 127.0.0.1 (aiohttp). Round 1: every feed
answers 200 with a new ETag, so every item is new and produced to Kafka. Round 2: the
poller sends the ETag back; 80 % of the feeds answer 304, 20 % answer 200 again with the same
body (all items already produced, so dedup drops them). Printed for each run: feeds polled per
second, items produced to Kafka per second, and the peak memory of this process so far.
The serial baseline is the same poller with one fetch at a time and one feed per batch.

Run: .venv/bin/python bench/polling.py [--feeds 1000 10000] [--baseline 500]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from connectors.poller import Poller, RoundStats  # noqa: E402
from connectors.producer import ItemProducer  # noqa: E402
from monitor import db  # noqa: E402
from monitor.columns import utcnow  # noqa: E402
from monitor.local import broker  # noqa: E402
from monitor.local.topics import ensure_topics  # noqa: E402
from monitor.models import Feed  # noqa: E402
from monitor.settings import Settings, get_settings  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
# A realistic mix of small and medium real feeds (the 1+ MB week-long dumps left out).
BODIES = [
    "rss/rss_2.0_nbcny.xml",
    "rss/rss_2.0_ilgiornale.xml",
    "rss/rss_2.0_spiegel.xml",
    "rss/rss_1.0_debian.xml",
    "rss/rss_1.0_iso8859.xml",
    "rss/rss_2.0_encoding_1.xml",
    "rss/atom_example_reddit.xml",
    "gdacs/gdacs-1.xml",
    "gdacs/gdacs-rss.xml",
    "usgs/earthquakes-1.json",
    "cap/oasis/example2.xml",
    "cap/google-cap-library/weather_index.atom",
    "nws/sample.json",
    "feedparser-corpus/json/example.json",
]


def serve(port_out: Any, sites: int) -> None:
    """Serve /f/<n> on `sites` ports: 200 + ETag first, then 304 for 4 feeds in 5 (a child)."""
    from aiohttp import web

    bodies = [(FIXTURES / name).read_bytes() for name in BODIES]

    async def handle(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        etag = f'"{n}"'
        if request.headers.get("If-None-Match") == etag and n % 5:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=bodies[n % len(bodies)], headers={"ETag": etag})

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/f/{n}", handle)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        for _ in range(sites):  # many origins, as real feeds come from many hosts
            await web.TCPSite(runner, "127.0.0.1", 0, backlog=1024).start()
        port_out.send([address[1] for address in runner.addresses])
        await asyncio.Event().wait()

    asyncio.run(main())


def fresh_settings(base: Settings, workdir: Path, topic: str, **limits: Any) -> Settings:
    """Return settings with their own SQLite database, the bench topic and polling `limits`."""
    url = f"sqlite:///{workdir / uuid.uuid4().hex}.db"
    settings = base.updated(
        database_url=url, fetch={"allow_private_hosts": ["127.0.0.1"]}, topics={"items": topic}
    ).updated(polling=limits)
    db.upgrade(settings)
    return settings


def add_feeds(settings: Settings, ports: list[int], count: int, offset: int) -> None:
    """Insert `count` feeds in one statement (the bench measures polling, not adding)."""
    now = utcnow()
    rows = [
        {
            "url": f"http://127.0.0.1:{ports[n % len(ports)]}/f/{offset + n}",
            "name": "",
            "interval_s": 600,
            "enabled": True,
            "created_at": now,
            "consecutive_failures": 0,
            "items_produced": 0,
        }
        for n in range(count)
    ]
    with db.get_engine(settings).begin() as conn:
        conn.execute(Feed.__table__.insert(), rows)  # type: ignore[attr-defined]


def make_all_due(settings: Settings) -> None:
    with db.get_engine(settings).begin() as conn:
        conn.execute(Feed.__table__.update().values(next_poll_at=None))  # type: ignore[attr-defined]


async def one_round(settings: Settings, producer: ItemProducer) -> tuple[RoundStats, float]:
    poller = Poller(settings, engine=db.get_engine(settings), producer=producer)
    handle, busy = poller.handler.handle, [0.0, 0]

    def timed(batch: Any) -> Any:
        began = time.perf_counter()
        try:
            return handle(batch)
        finally:
            busy[0] += time.perf_counter() - began
            busy[1] += 1

    poller.handler.handle = timed  # type: ignore[method-assign]
    began = time.perf_counter()
    stats = await poller.poll_round()
    elapsed = time.perf_counter() - began
    print(f"  (handler busy {busy[0]:.2f}s in {busy[1]} batches)", flush=True)
    return stats, elapsed


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def report(label: str, stats: RoundStats, seconds: float) -> None:
    print(
        f"{label:<34} {stats.polled:>6} feeds in {seconds:6.2f}s = {stats.polled / seconds:7.1f}"
        f" feeds/s; {stats.produced:>6} items = {stats.produced / seconds:7.1f} items/s;"
        f" {stats.failed} failed; peak RSS so far {peak_mb():.0f} MB",
        flush=True,
    )


def run(
    name: str, settings: Settings, ports: list[int], count: int, offset: int
) -> dict[str, float]:
    """Poll `count` feeds twice (all-200, then the 304 mix); print and return the rates."""
    add_feeds(settings, ports, count, offset)
    producer = ItemProducer(settings)
    try:
        first, t1 = asyncio.run(one_round(settings, producer))
        report(f"{name} round 1 (all 200)", first, t1)
        make_all_due(settings)
        second, t2 = asyncio.run(one_round(settings, producer))
        report(f"{name} round 2 (80% 304)", second, t2)
    finally:
        producer.close()
    return {"r1": first.polled / t1, "r2": second.polled / t2, "items": first.produced / t1}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--baseline", type=int, default=500, help="feeds for the serial baseline")
    parser.add_argument("--sites", type=int, default=50, help="ports the fixture server listens on")
    args = parser.parse_args()

    base = get_settings()
    print(f"kafka: {broker.start(base)}", flush=True)
    topic = f"bench-items-{uuid.uuid4().hex[:8]}"
    ensure_topics(base, [topic])
    receive, send = multiprocessing.Pipe(duplex=False)
    server = multiprocessing.get_context("spawn").Process(
        target=serve, args=(send, args.sites), daemon=True
    )
    server.start()
    ports = receive.recv()
    print(
        f"fixture server: 127.0.0.1 on {len(ports)} ports, {len(BODIES)} real bodies; "
        f"topic {topic}",
        flush=True,
    )
    offset = 0
    with tempfile.TemporaryDirectory() as tmp:
        # Every bench origin is 127.0.0.1 (ports differ): the politeness gap, one request per
        # host per second, would measure the gap, not the poller. Both runs go without it.
        serial = fresh_settings(base, Path(tmp), topic, concurrency=1, per_host=1, batch_size=1)
        serial = serial.updated(polling={"host_gap_s": 0.0})
        baseline = run("serial baseline", serial, ports, args.baseline, offset)
        offset += args.baseline
        for count in args.feeds:
            # Every bench origin is 127.0.0.1 (ports differ), so the per-host cap is the global one.
            settings = fresh_settings(base, Path(tmp), topic)
            settings = settings.updated(
                polling={"per_host": settings.polling.concurrency, "host_gap_s": 0.0}
            )
            rates = run(f"concurrent {count}", settings, ports, count, offset)
            offset += count
            r1, r2 = rates["r1"] / baseline["r1"], rates["r2"] / baseline["r2"]
            items = rates["items"] / baseline["items"]
            print(
                f"  speed-up vs serial: round 1 x{r1:.1f}, round 2 x{r2:.1f}; items/s x{items:.1f}",
                flush=True,
            )
    server.terminate()
    print(f"peak RSS of the polling process: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
