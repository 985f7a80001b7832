"""Backtest time for one watch over 10,000 stored incidents spread over a year.

Usage: python bench/backtest.py [--incidents N] [--repeat N] [--database-url URL]
Prints the best and median wall time of `backtest_watch` (read the rows, match, decide, build
a hit's document and the alert's `why`) against the fair baseline, reading the same rows and
nothing else (the floor of any backtest over stored incidents), and the ratio. Incidents are
the tagged disruptions of the bundled sample feeds (as bench/matching.py), copied under new ids with
`last_seen` spread over 365 days; the watch names the commonest country and material among them.
The database is a fresh SQLite file unless --database-url names another (it is filled, not
emptied: give it an empty one).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from matching import sample_incidents

from monitor import db
from monitor.buyers import service as buyers
from monitor.columns import utcnow
from monitor.incidents.store import save_incidents
from monitor.matching.backtest import backtest_watch, incidents_since
from monitor.models import BuyerCreate, WatchCreate
from monitor.settings import Settings

YEAR = timedelta(days=365)


def fill(settings: Settings, n: int) -> tuple[int, int]:
    """Store n incidents over the last year and one watch; return (watch id, incidents)."""
    samples = sample_incidents()
    now = utcnow()
    rows = []
    for i in range(n):
        inc = dict(samples[i % len(samples)])
        inc["id"] = f"bench-{i}"
        inc["last_seen"] = (now - YEAR * (i / n)).isoformat()
        inc["first_seen"] = inc["last_seen"]
        rows.append(inc)
    country = Counter(c for s in samples for c in s["countries"]).most_common(1)[0][0]
    material = Counter(m["name"] for s in samples for m in s["materials"]).most_common(1)
    with db.session_scope(settings) as session:
        for start in range(0, n, 1000):
            save_incidents(session, rows[start : start + 1000])
        buyer = buyers.create_buyer(session=session, data=BuyerCreate(name="bench"))
        watch = buyers.create_watch(session=session, buyer_id=buyer.id, data=WatchCreate(
            name="bench", countries=[country], materials=[material[0][0]] if material else [],
            min_severity="low"))  # fmt: skip
    return watch.id, len(samples)


def timed(fun, repeat: int) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fun()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{Path(tmp) / 'backtest.db'}"
        settings = Settings(database_url=url)
        db.upgrade(settings)
        watch_id, distinct = fill(settings, args.incidents)
        with db.session_scope(settings) as session:

            def run():  # type: ignore[no-untyped-def]
                return backtest_watch(session=session, watch_id=watch_id, since=YEAR * 2)

            def baseline() -> None:
                start = utcnow() - YEAR * 2
                for _row in incidents_since(session, start):
                    pass

            result = run()
            ours, base = timed(run, args.repeat), timed(baseline, args.repeat)
        print(f"cores: {os.cpu_count()}; database: {url.split(':', 1)[0]}; incidents: "
              f"{result.scanned} ({distinct} distinct tagged disruptions of the sample feeds, "
              f"all disruptions); watch alerts on {result.count} "
              f"({result.count / max(result.scanned, 1):.0%}); {args.repeat} runs")  # fmt: skip
        print(f"backtest: best {min(ours) * 1000:.0f} ms, median "
              f"{statistics.median(ours) * 1000:.0f} ms | baseline (read the rows only): "
              f"best {min(base) * 1000:.0f} ms, median {statistics.median(base) * 1000:.0f} ms | "
              f"ratio {statistics.median(ours) / statistics.median(base):.2f}")  # fmt: skip


if __name__ == "__main__":
    main()
