"""Benchmark the REST API under concurrent clients: requests/s and latency percentiles.

Serves the API with uvicorn in a child process (one worker) on a SQLite file filled with the
demo directory and a buyer with many alerts, then runs an httpx async client with C concurrent
connections against `GET /api/v1/alerts` and `GET /api/v1/suggestions`. The baseline, measured
in the same run, is the same service call made in-process without HTTP, one at a time: the
ratio shows what the HTTP, key check and JSON layers cost.

Then the alerts list again with `--stream-clients` clients, first alone, then while
`--streams` alert streams (`GET /api/v1/alerts/stream`, held by the buyer's keys, five per key)
stay open: its p95 with and without the streams, the 5xx answers (there should be none: the
run fails on any), and connections the server dropped without an answer (an overloaded
machine can make uvicorn's 5 s keep-alive timer fire before it reads a waiting request).

Run: .venv/bin/python bench/api.py [--clients 16] [--seconds 10] [--suppliers 10000]
     [--alerts 2000] [--stream-clients 64] [--streams 100]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import db
from monitor.alerts import service as alert_service
from monitor.buyers import service as buyers
from monitor.keys import service as apikeys
from monitor.models import Alert, BuyerCreate
from monitor.settings import Settings
from monitor.suggestions import suggest
from monitor.suggestions.areas import areas_from_query
from monitor.suppliers import demo

STREAMS_PER_KEY = 5  # MONITOR_API_STREAM_MAX_PER_KEY's default


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def prepare(
    settings: Settings, suppliers: int, alerts: int, streams: int
) -> tuple[int, str, list[str]]:
    """Fill the database; return the buyer id, its key, and keys enough for `streams`."""
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        demo.load(session=s, count=suppliers, seed=5)
        buyer = buyers.create_buyer(session=s, data=BuyerCreate(name="bench buyer"))
        incident = {"id": "inc-bench", "title": "Strike at Abidjan", "countries": ["CI"]}
        s.add_all(
            Alert(buyer_id=buyer.id, incident_id=f"inc-{i}", severity="high", incident=incident,
                  why={"watch": "cocoa", "materials": ["cocoa"]})
            for i in range(alerts)
        )  # fmt: skip
        _, key = apikeys.create_key(session=s, role="buyer", buyer_id=buyer.id)
        stream_keys = [
            apikeys.create_key(session=s, role="buyer", buyer_id=buyer.id)[1]
            for _ in range(-(-streams // STREAMS_PER_KEY))
        ]
    return buyer.id, key, stream_keys


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def load(url: str, key: str, clients: int, seconds: float) -> tuple[list[float], Counter]:
    """Run `clients` loops for `seconds`; return the 200s' latencies in ms, and other codes."""
    latencies: list[float] = []
    codes: Counter[int | str] = Counter()
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {key}"}, limits=limits) as c:

        async def worker() -> None:
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                try:
                    answer = await c.get(url, timeout=30)
                except httpx.TransportError as exc:  # counted, not fatal: the run goes on
                    codes[type(exc).__name__] += 1
                    continue
                if answer.status_code == 200:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    codes[answer.status_code] += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return latencies, codes


async def with_streams(
    url: str,
    stream_url: str,
    key: str,
    stream_keys: list[str],
    streams: int,
    clients: int,
    seconds: float,
) -> tuple[list[float], Counter, Counter]:
    """Run `load` while `streams` alert streams are open; return its result and the streams'
    status codes (a stream counts once its first line arrived)."""
    opened: Counter[int | str] = Counter()
    ready = asyncio.Event()
    limits = httpx.Limits(max_connections=streams)
    async with httpx.AsyncClient(limits=limits, timeout=60) as c:

        async def hold(n: int) -> None:
            headers = {"Authorization": f"Bearer {stream_keys[n // STREAMS_PER_KEY]}"}
            try:
                async with c.stream("GET", stream_url, headers=headers) as answer:
                    if answer.status_code == 200:
                        await anext(answer.aiter_lines())
                    opened[answer.status_code] += 1
                    check()
                    await asyncio.Event().wait()  # held open until cancelled
            except httpx.TransportError as exc:
                opened[type(exc).__name__] += 1
                check()

        def check() -> None:
            if opened.total() == streams:
                ready.set()

        holders = [asyncio.create_task(hold(n)) for n in range(streams)]
        await asyncio.wait_for(ready.wait(), 120)
        latencies, codes = await load(url, key, clients, seconds)
        for task in holders:
            task.cancel()
        await asyncio.gather(*holders, return_exceptions=True)
    return latencies, codes, opened


def summary(latencies: list[float], codes: Counter, seconds: float) -> str:
    return (
        f"p95 {pct(latencies, 95):.1f} ms, max {max(latencies, default=0):.0f} ms, "
        f"{len(latencies) / seconds:.1f} req/s, 5xx {fivexx(codes)}, dropped connections "
        f"{dropped(codes)}"
    )


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a (nothing answered 200)"


def fivexx(codes: Counter) -> int:
    """Count 5xx answers."""
    return sum(n for code, n in codes.items() if isinstance(code, int) and code >= 500)


def dropped(codes: Counter) -> int:
    """Count requests that got no answer (the connection failed or was closed)."""
    return sum(n for code, n in codes.items() if isinstance(code, str))


def in_process(call: Callable[[], object], seconds: float) -> tuple[float, list[float]]:
    """Call `call` back to back for `seconds`; return (calls/s, latencies in ms)."""
    latencies: list[float] = []
    start = deadline = time.perf_counter()
    deadline += seconds
    while time.perf_counter() < deadline:
        t0 = time.perf_counter()
        call()
        latencies.append((time.perf_counter() - t0) * 1000)
    return len(latencies) / (time.perf_counter() - start), latencies


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--suppliers", type=int, default=10_000)
    parser.add_argument("--alerts", type=int, default=2_000)
    parser.add_argument("--stream-clients", type=int, default=64)
    parser.add_argument("--streams", type=int, default=100)
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(database_url=url)
        buyer_id, key, stream_keys = prepare(settings, args.suppliers, args.alerts, args.streams)
        port = free_port()
        env = dict(os.environ, MONITOR_DATABASE_URL=url, MONITOR_DATA_DIR=tmp)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "monitor.api.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            env=env,
        )  # fmt: skip
        try:
            base = f"http://127.0.0.1:{port}/api/v1"
            for _ in range(200):
                try:
                    httpx.get(f"{base}/metrics", timeout=1)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            print(
                f"{os.cpu_count()} cores; uvicorn, 1 worker, SQLite; {args.suppliers} suppliers, "
                f"{args.alerts} alerts for the buyer; {args.clients} concurrent clients, "
                f"{args.seconds:g}s per endpoint"
            )
            cases = {
                "alerts list (limit 50)": (
                    f"{base}/alerts?limit=50",
                    lambda s: alert_service.list_alerts(session=s, buyer_id=buyer_id, limit=50),
                ),
                "suggestions (cocoa, CI+GH out)": (
                    f"{base}/suggestions?material=cocoa&exclude_country=CI&exclude_country=GH",
                    lambda s: suggest(
                        "cocoa",
                        areas_from_query(countries=["CI", "GH"]),
                        buyer_id,
                        session=s,
                        settings=settings,
                    ),
                ),
            }
            for name, (target, service_call) in cases.items():
                asyncio.run(load(target, key, 2, 1.0))  # warm-up: imports, caches, key check
                lat, codes = asyncio.run(load(target, key, args.clients, args.seconds))
                with db.session_scope(settings) as s:
                    rate, base_lat = in_process(partial(service_call, s), args.seconds / 2)
                rps = len(lat) / args.seconds
                print(
                    f"{name:32} HTTP {rps:7.1f} req/s  p50 {pct(lat, 50):7.1f} ms  "
                    f"p95 {pct(lat, 95):7.1f} ms  errors {codes.total()}  |  in-process service "
                    f"call {rate:7.1f} calls/s  p95 {pct(base_lat, 95):6.1f} ms  |  "
                    f"HTTP/in-process {rps / rate:4.2f}x"
                )
            alerts_url = f"{base}/alerts?limit=50"
            alone, alone_codes = asyncio.run(
                load(alerts_url, key, args.stream_clients, args.seconds)
            )
            streamed, codes, opened = asyncio.run(
                with_streams(
                    alerts_url, f"{base}/alerts/stream", key, stream_keys, args.streams,
                    args.stream_clients, args.seconds,
                )
            )  # fmt: skip
            bad = fivexx(alone_codes) + fivexx(codes) + fivexx(opened) + dropped(opened)
            print(
                f"alerts list, {args.stream_clients} clients, without streams: "
                f"{summary(alone, alone_codes, args.seconds)}\n"
                f"alerts list, {args.stream_clients} clients, {opened[200]} of {args.streams} "
                f"streams open: {summary(streamed, codes, args.seconds)} (stream answers: "
                f"{dict(opened)})\n"
                f"p95 with streams / without: {ratio(pct(streamed, 95), pct(alone, 95))}"
            )
            if bad:
                sys.exit(
                    f"{bad} answers were 5xx or streams failed to open (without streams "
                    f"{dict(alone_codes)}, with {dict(codes)}): there should be none"
                )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
