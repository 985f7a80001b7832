"""Benchmark a worker's watch refresh at 50,000 watches: change rows against a full compare.

Every few seconds each worker brings the database's watch changes into its index. The
baseline is what it did before the change rows (and still does on its first load): read every
watch's id and update time and every buyer–supplier link, and compare them with the index
(`WatchSync.resync`). `WatchSync.refresh` reads only the `watch_changes` rows written since.
Printed per database: both with nothing changed, and with 10 watches changed, p50/max of 5
runs each. SQLite always; PostgreSQL when the local server answers (bench/databases.py).
MONITOR_BENCH_WATCHES sets the watch count (default 50000).
"""

from __future__ import annotations

import logging
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from databases import each_backend, reset

from monitor import db
from monitor.matching.sync import WatchSync
from monitor.models import Buyer, Watch
from monitor.settings import Settings

WATCHES = int(os.environ.get("MONITOR_BENCH_WATCHES", "50000"))
COUNTRIES = ["GH", "CI", "BR", "VN", "ID", "EC", "PE", "CM", "NG", "IN", "CN", "DE", "US"]


def timed(settings: Settings, step: Callable[[Session], int], change: int) -> list[float]:
    out = []
    for _ in range(5):
        if change:
            with db.session_scope(settings) as s:
                s.execute(
                    text("UPDATE watches SET name = name || 'x' WHERE id <= :n"), {"n": change}
                )
        with db.session_scope(settings) as s:
            t0 = time.perf_counter()
            step(s)
            out.append((time.perf_counter() - t0) * 1000)
    return out


def run_backend(label: str, url: str) -> None:
    settings = Settings(database_url=url)
    reset(url)
    db.upgrade(settings)
    rng = random.Random(3)
    with db.session_scope(settings) as s:
        buyers = []
        for i in range(WATCHES // 100):
            buyer = Buyer(name=f"bench buyer {i}")
            s.add(buyer)
            s.flush()
            buyers.append(buyer.id or 0)
        s.add_all(
            Watch(buyer_id=rng.choice(buyers), name=f"w{i}", materials=["cocoa"],
                  countries=rng.sample(COUNTRIES, k=rng.randint(1, 3)))
            for i in range(WATCHES)
        )  # fmt: skip
    sync = WatchSync(supplier_radius_km=100)
    with db.session_scope(settings) as s:
        t0 = time.perf_counter()
        sync.refresh(s)
        first = (time.perf_counter() - t0) * 1000
    line = [f"{label:<10} {WATCHES} watches: first load {first:7.0f} ms"]
    for change in (0, 10):
        full = timed(settings, sync.resync, change)
        rows = timed(settings, sync.refresh, change)
        line.append(
            f"{change:>2} changed: full compare p50 {statistics.median(full):6.1f} ms "
            f"(max {max(full):6.1f}), change rows p50 {statistics.median(rows):6.2f} ms "
            f"(max {max(rows):6.2f}), {statistics.median(full) / statistics.median(rows):5.0f}x"
        )
    print(" | ".join(line), f"({os.cpu_count()} cores)", flush=True)
    db.get_engine(settings).dispose()


def main() -> None:
    logging.disable(logging.INFO)
    each_backend(run_backend)


if __name__ == "__main__":
    main()
