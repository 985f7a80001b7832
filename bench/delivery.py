"""Benchmark alert delivery: store N alerts, then deliver them as signed webhooks.

A child process serves a 200-answering webhook receiver on 127.0.0.1 (aiohttp). Printed:
alerts stored per second by `save_alert` (and replays of the same alerts, which store
nothing), webhook deliveries per second through `deliver_due` (claim, sign, POST, record),
and the baseline: the same number of signed POSTs from one httpx client at the same
concurrency with no database at all. The ratio is what the bookkeeping costs.

Run: .venv/bin/python bench/delivery.py [--alerts 2000] [--db URL]
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor import db  # noqa: E402
from monitor.buyers.service import new_webhook_secret  # noqa: E402
from monitor.delivery.sender import deliver_due  # noqa: E402
from monitor.delivery.store import save_alert  # noqa: E402
from monitor.delivery.webhook import encode, make_webhook_client, signed_headers  # noqa: E402
from monitor.models import Buyer  # noqa: E402
from monitor.settings import Settings  # noqa: E402
from tests.builders import alert_message  # noqa: E402


def serve(port_out: Any) -> None:
    """Answer every POST with 200 (a child process)."""
    from aiohttp import web

    async def hook(request: web.Request) -> web.Response:
        await request.read()
        return web.Response(text="ok")

    async def main() -> None:
        app = web.Application()
        app.router.add_post("/hook", hook)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port_out.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


def store(settings: Settings, buyer_id: int, n: int) -> tuple[float, int]:
    """Store n alerts (one incident version each); return (seconds, alerts stored)."""
    stored = 0
    start = time.perf_counter()
    with db.session_scope(settings) as session:
        for version in range(1, n + 1):
            stored += save_alert(session, alert_message(buyer_id, version)) is not None
    return time.perf_counter() - start, stored


async def baseline(settings: Settings, url: str, secret: str, n: int) -> float:
    """POST n signed alert bodies with the same client and concurrency, no database."""
    gate = asyncio.Semaphore(settings.delivery.concurrency)
    async with make_webhook_client(settings) as client:

        async def one(i: int) -> None:
            body = encode({"type": "alert", "id": i, **alert_message(1, i)})
            headers = signed_headers(secret, f"alert_{i}", body, datetime.now(UTC))
            async with gate:
                resp = await client.post(url, content=body.encode(), headers=headers)
                resp.raise_for_status()

        start = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=2000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    ports: Any = multiprocessing.Queue()
    server = multiprocessing.Process(target=serve, args=(ports,), daemon=True)
    server.start()
    url = f"http://127.0.0.1:{ports.get(timeout=30)}/hook"
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(
            database_url=args.db or f"sqlite:///{tmp}/bench.db", allow_private_hosts=["127.0.0.1"]
        )
        db.upgrade(settings)
        secret = new_webhook_secret()
        with db.session_scope(settings) as session:
            buyer = Buyer(name="bench buyer", webhook_url=url, webhook_secret=secret)
            session.add(buyer)
            session.flush()
            buyer_id = buyer.id or 0
        n = args.alerts
        kind = settings.db_url.split(":")[0]
        print(f"machine: {os.cpu_count()} cores; database: {kind}; alerts: {n}; "
              f"concurrency: {settings.delivery.concurrency}")  # fmt: skip
        seconds, stored = store(settings, buyer_id, n)
        print(f"save_alert: {stored / seconds:8.0f} alerts/s stored ({stored} in {seconds:.2f} s)")
        seconds, again = store(settings, buyer_id, n)
        print(f"save_alert replayed: {n / seconds:8.0f} alerts/s ({again} stored twice)")
        start = time.perf_counter()
        counts = deliver_due(settings)
        seconds = time.perf_counter() - start
        sent = counts["delivered"]
        print(f"deliver_due: {sent / seconds:8.0f} webhooks/s ({dict(counts)} in {seconds:.2f} s)")
        base = asyncio.run(baseline(settings, url, secret, n))
        print(f"baseline (signed POSTs, no database): {n / base:8.0f} webhooks/s ({base:.2f} s)")
        print(f"ratio deliver_due / baseline: {(sent / seconds) / (n / base):.2f}")
    server.kill()


if __name__ == "__main__":
    main()
