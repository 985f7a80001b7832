"""Benchmark the REST API under concurrent clients: requests/s and latency percentiles.

Serves the API with uvicorn in a child process (one worker) on a SQLite file filled with the
demo directory and a buyer with many alerts, then runs an httpx async client with C concurrent
connections against `GET /api/v1/alerts` and `GET /api/v1/suggestions`. The baseline, measured
in the same run, is the same service call made in-process without HTTP, one at a time: the
ratio shows what the HTTP, key check and JSON layers cost.

Run: .venv/bin/python bench/api.py [--clients 16] [--seconds 10] [--suppliers 10000] [--alerts 2000]
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
from collections.abc import Callable
from functools import partial
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from monitor import apikeys, db
from monitor.alerts import service as alert_service
from monitor.buyers import service as buyers
from monitor.models import Alert, BuyerCreate
from monitor.settings import Settings
from monitor.suggestions import suggest
from monitor.suggestions.areas import areas_from_query
from monitor.suppliers import demo


def pct(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


def prepare(settings: Settings, suppliers: int, alerts: int) -> tuple[int, str]:
    """Fill the database; return the buyer id and its key."""
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
    return buyer.id, key


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def load(url: str, key: str, clients: int, seconds: float) -> tuple[int, int, list[float]]:
    """Run `clients` loops for `seconds`; return (ok, errors, latencies in ms)."""
    latencies: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients)
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {key}"}, limits=limits) as c:

        async def worker() -> None:
            nonlocal errors
            while time.perf_counter() < deadline:
                start = time.perf_counter()
                answer = await c.get(url, timeout=30)
                if answer.status_code == 200:
                    latencies.append((time.perf_counter() - start) * 1000)
                else:
                    errors += 1

        await asyncio.gather(*(worker() for _ in range(clients)))
    return len(latencies), errors, latencies


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
    args = parser.parse_args()
    import logging

    logging.disable(logging.INFO)
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{Path(tmp) / 'bench.db'}"
        settings = Settings(database_url=url)
        buyer_id, key = prepare(settings, args.suppliers, args.alerts)
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
                ok, errors, lat = asyncio.run(load(target, key, args.clients, args.seconds))
                with db.session_scope(settings) as s:
                    rate, base_lat = in_process(partial(service_call, s), args.seconds / 2)
                rps = ok / args.seconds
                print(
                    f"{name:32} HTTP {rps:7.1f} req/s  p50 {pct(lat, 50):7.1f} ms  "
                    f"p95 {pct(lat, 95):7.1f} ms  errors {errors}  |  in-process service call "
                    f"{rate:7.1f} calls/s  p95 {pct(base_lat, 95):6.1f} ms  |  "
                    f"HTTP/in-process {rps / rate:4.2f}x"
                )
        finally:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
