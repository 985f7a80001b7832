"""Benchmark `suggest()` at 1,000 and 100,000 suppliers on SQLite and PostgreSQL.

Prints p50/p95 latency of the engine beside a fair baseline measured in the same run (SQL that
selects the material's rows outside the excluded countries, then every row scored and ranked in
Python: `monitor/suggestions/baseline.py`), and checks both return the same top 10.
PostgreSQL: MONITOR_BENCH_POSTGRES_URL (default: the monitor_bench_suppliers database on the
local test server; created if missing, its schema reset). MONITOR_BENCH_QUERIES sets the query
count and MONITOR_BENCH_SIZES the directory sizes (default 1000,100000).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from databases import each_backend, reset

from monitor import db
from monitor.models import Buyer, BuyerSupplier
from monitor.settings import Settings
from monitor.suggestions import AffectedArea, Need, suggest
from monitor.suggestions.baseline import filtered_scan
from monitor.suppliers import demo, service

SIZES = tuple(int(n) for n in os.environ.get("MONITOR_BENCH_SIZES", "1000,100000").split(","))
QUERIES = int(os.environ.get("MONITOR_BENCH_QUERIES", "200"))
SEED = 11
Query = tuple[str, list[AffectedArea], Need, int | None]


def make_queries(rng: random.Random, buyers: list[int]) -> list[Query]:
    """Return random (material, areas, need, buyer) queries shaped like real alerts."""
    out = []
    names = [n for n in demo.BY_MATERIAL] + ["wheat", "corn", "timber", "copper", "textiles"]
    for _ in range(QUERIES):
        material = rng.choice(names)
        producers = demo._countries(material)
        areas = [AffectedArea(c) for c in rng.sample(producers, k=rng.randint(1, 3))]
        if rng.random() < 0.5:
            city, lat, lon = rng.choice(demo._cities_by_country()[rng.choice(producers)])
            radius = rng.choice((50, 150, 300))
            areas.append(AffectedArea(None, lat=lat, lon=lon, radius_km=radius, name=city))
        need = Need(
            quantity=rng.choice((None, 5, 50)),
            max_lead_days=rng.choice((None, 30, 60)),
            certifications=rng.choice(((), ("organic",), ("FSC",))),
        )
        buyer = rng.choice(buyers) if buyers and rng.random() < 0.25 else None
        out.append((material, areas, need, buyer))
    return out


def pct(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def _indexed(s: Session, query: Query, settings: Settings) -> tuple[float, list[int]]:
    material, areas, need, buyer = query
    start = time.perf_counter()
    result = suggest(material, areas, buyer, session=s, need=need, settings=settings)
    ms = (time.perf_counter() - start) * 1000
    return ms, [x.supplier.supplier_id for x in result.suggestions]


def _baseline(s: Session, query: Query, settings: Settings) -> tuple[float, list[int]]:
    material, areas, need, buyer = query
    start = time.perf_counter()
    top = filtered_scan(
        session=s, material=material, areas=areas, need=need, buyer=buyer, settings=settings
    )
    return (time.perf_counter() - start) * 1000, [sid for sid, _ in top]


def run_backend(label: str, url: str, rows: list) -> None:
    settings = Settings(database_url=url)
    for size in SIZES:
        reset(url)
        db.upgrade(settings)
        engine_ = db.get_engine(settings)
        t0 = time.perf_counter()
        with db.session_scope(settings) as s:
            service.bulk_insert(session=s, suppliers=rows[:size])
            buyers = _buyers(s, size)
        with engine_.begin() as conn:
            conn.execute(text("ANALYZE"))
        load_s = time.perf_counter() - t0
        queries = make_queries(random.Random(SEED), buyers)
        fast, slow, agree = [], [], 0
        for query in queries:
            with Session(engine_) as s:
                ms, got = _indexed(s, query, settings)
                fast.append(ms)
                ms2, want = _baseline(s, query, settings)
                slow.append(ms2)
                agree += got == want
        p50, p95 = pct(fast, 50), pct(fast, 95)
        n50, n95 = pct(slow, 50), pct(slow, 95)
        print(
            f"{label:<10} {size:>7} suppliers (load {load_s:5.1f}s)  "
            f"engine p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  (n={len(fast)})  |  "
            f"SQL-filter baseline p50 {n50:7.2f} ms  p95 {n95:7.2f} ms  (n={len(slow)})  |  "
            f"baseline/engine p50 {n50 / p50:5.1f}x  p95 {n95 / p95:5.1f}x  "
            f"same top-10 {agree}/{len(slow)}  ({os.cpu_count()} cores)",
            flush=True,
        )
        engine_.dispose()


def _buyers(s: Session, size: int) -> list[int]:
    rng = random.Random(SEED)
    ids = []
    for i in range(5):
        b = Buyer(name=f"bench buyer {i}")
        s.add(b)
        s.flush()
        assert b.id is not None
        ids.append(b.id)
        for sid in rng.sample(range(1, size + 1), k=8):
            s.add(BuyerSupplier(buyer_id=b.id, supplier_id=sid))
    s.flush()
    return ids


def main() -> None:
    import logging

    logging.disable(logging.INFO)
    t0 = time.perf_counter()
    rows = list(demo.generate(count=max(SIZES), seed=SEED))
    print(
        f"generated {len(rows)} demo suppliers in {time.perf_counter() - t0:.1f}s; {QUERIES} "
        "random queries per size, each run by the engine and the baseline"
    )
    each_backend(lambda label, url: run_backend(label, url, rows))


if __name__ == "__main__":
    main()
