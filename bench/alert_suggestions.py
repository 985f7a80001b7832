"""Benchmark the suggestions for one incident's alerts, for every buyer it alerts at once.

A wide incident (a country's whole cocoa crop, a closed port) alerts hundreds of buyers, and
each alert carries suggestions ranked for its buyer. The baseline is what the match stage did
before: `for_incident` once per alerted buyer (each a full `suggest()` per material). The
engine is `for_buyers`: one candidate read per material, every buyer ranked from it. Both run
in the same process on the same directory (100,000 demo suppliers by default) and must give
the same suggestions. SQLite always; PostgreSQL when the local server answers
(bench/databases.py). MONITOR_BENCH_BUYERS (default 300) and MONITOR_BENCH_INCIDENTS (6).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text
from sqlmodel import Session

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from databases import each_backend, reset

from monitor import db
from monitor.models import Buyer, BuyerSupplier
from monitor.settings import Settings
from monitor.suggestions import for_buyers, for_incident
from monitor.suppliers import demo, service

SIZE = int(os.environ.get("MONITOR_BENCH_SIZE", "100000"))
BUYERS = int(os.environ.get("MONITOR_BENCH_BUYERS", "300"))
INCIDENTS = int(os.environ.get("MONITOR_BENCH_INCIDENTS", "6"))
SEED = 17


def incidents(rng: random.Random) -> list[dict[str, Any]]:
    """Return incidents shaped like the tagger's: one or two materials, a country or a port."""
    out = []
    names = list(demo.BY_MATERIAL)
    for _ in range(INCIDENTS):
        materials = rng.sample(names, k=rng.choice((1, 1, 2)))
        country = rng.choice(demo._countries(materials[0]))
        if rng.random() < 0.5:
            out.append({"materials": materials, "countries": [country], "places": []})
        else:
            city, lat, lon = rng.choice(demo._cities_by_country()[country])
            place = {"name": city, "country": country, "kind": "port", "lat": lat, "lon": lon}
            out.append({"materials": materials, "countries": [], "places": [place]})
    return out


def add_buyers(s: Session, rng: random.Random) -> list[int]:
    """Add BUYERS buyers, each with 3 to 12 current suppliers."""
    ids = []
    for i in range(BUYERS):
        b = Buyer(name=f"bench buyer {i}")
        s.add(b)
        s.flush()
        assert b.id is not None
        ids.append(b.id)
        for sid in rng.sample(range(1, SIZE + 1), k=rng.randint(3, 12)):
            s.add(BuyerSupplier(buyer_id=b.id, supplier_id=sid))
    s.flush()
    return ids


def run_backend(label: str, url: str, rows: list[Any]) -> None:
    settings = Settings(database_url=url)
    reset(url)
    db.upgrade(settings)
    engine = db.get_engine(settings)
    rng = random.Random(SEED)
    with db.session_scope(settings) as s:
        service.bulk_insert(session=s, suppliers=rows)
        buyers = add_buyers(s, rng)
    with engine.begin() as conn:
        conn.execute(text("ANALYZE"))
    per_buyer, shared, same = [], [], 0
    for incident in incidents(rng):
        wants = {b: incident["materials"] for b in buyers}
        where = {"places": incident["places"], "countries": incident["countries"]}
        with Session(engine) as s:
            t0 = time.perf_counter()
            want = {b: for_incident(session=s, materials=m, buyer=b, settings=settings, **where)
                    for b, m in wants.items()}  # fmt: skip
            per_buyer.append((time.perf_counter() - t0) * 1000)
        with Session(engine) as s:
            t0 = time.perf_counter()
            got = for_buyers(session=s, wants=wants, settings=settings, **where)
            shared.append((time.perf_counter() - t0) * 1000)
        same += all(_plain(got[b]) == _plain(want[b]) for b in buyers)
    engine.dispose()
    base, fast = statistics.median(per_buyer), statistics.median(shared)
    print(
        f"{label:<10} {SIZE} suppliers, {BUYERS} buyers alerted per incident, "
        f"{len(shared)} incidents: per-buyer for_incident median {base:8.1f} ms "
        f"(max {max(per_buyer):8.1f}) | for_buyers median {fast:7.1f} ms "
        f"(max {max(shared):7.1f}) | {base / fast:5.1f}x | same suggestions "
        f"{same}/{len(shared)} incidents ({os.cpu_count()} cores)",
        flush=True,
    )


def _plain(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # `candidates` counts rows read, which the shared read and a single query differ on.
    return [{k: v for k, v in r.items() if k != "candidates"} for r in results]


def main() -> None:
    import logging

    logging.disable(logging.INFO)
    t0 = time.perf_counter()
    rows = list(demo.generate(count=SIZE, seed=SEED))
    print(f"generated {len(rows)} demo suppliers in {time.perf_counter() - t0:.1f}s")
    each_backend(lambda label, url: run_backend(label, url, rows))


if __name__ == "__main__":
    main()
