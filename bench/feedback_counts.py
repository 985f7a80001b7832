"""Per-feed alert, false-alarm and reason counts over many stored alerts, grouped in SQL.

Usage: python bench/feedback_counts.py [--alerts N] [--feeds N] [--repeat N] [--database-url URL]
Prints the best and median wall time of `monitor.feedback.counts.feed_counts` for every feed
(what `GET /feeds` asks for, a page of up to 200 feeds) against the baseline it replaced:
loading every alert's feed list and status and counting in Python (no reasons, which that
baseline never had). Alerts are synthetic: each names one to three of the feeds; one in five is
a false alarm with a reason. The database is a fresh SQLite file unless --database-url names
another (it is filled, not emptied: give it an empty one).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import time
from collections import Counter
from collections.abc import Callable

from sqlmodel import Session, select

from monitor import db
from monitor.feedback import counts
from monitor.feedback.models import FALSE_ALARM_REASONS, AlertFeedback
from monitor.models import Alert, Buyer, Feed
from monitor.settings import Settings


def fill(settings: Settings, alerts: int, feeds: int) -> list[int]:
    """Store `feeds` feeds and `alerts` alerts over them; return the feed ids."""
    pick = random.Random(7)
    with db.session_scope(settings) as s:
        rows = [Feed(url=f"https://bench{i}.example/rss") for i in range(feeds)]
        buyer = Buyer(name="bench")
        s.add_all([*rows, buyer])
        s.flush()
        ids = [f.id or 0 for f in rows]
        for start in range(0, alerts, 2000):
            batch = []
            for n in range(start, min(alerts, start + 2000)):
                false = n % 5 == 0
                batch.append(Alert(
                    buyer_id=buyer.id or 0, incident_id=f"inc-{n}", severity="high",
                    status="false_alarm" if false else "new",
                    feed_ids=pick.sample(ids, pick.randint(1, 3)), incident={},
                ))  # fmt: skip
            s.add_all(batch)
            s.flush()
            s.add_all(
                AlertFeedback(alert_id=a.id or 0, buyer_id=a.buyer_id,
                              reason=pick.choice(FALSE_ALARM_REASONS))
                for a in batch if a.status == "false_alarm"
            )  # fmt: skip
    return ids


def baseline(session: Session, feed_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Count as before: load every alert's feeds and status, count in Python."""
    alerts: Counter[int] = Counter()
    false: Counter[int] = Counter()
    for ids, status in session.exec(select(Alert.feed_ids, Alert.status)).all():
        for fid in set(ids or ()):
            alerts[fid] += 1
            false[fid] += status == "false_alarm"
    return {fid: (alerts[fid], false[fid]) for fid in feed_ids}


def timed(settings: Settings, repeat: int, run: Callable[[Session], object]) -> list[float]:
    """Return the wall times of `repeat` runs, each in a fresh session."""
    times = []
    for _ in range(repeat):
        with Session(db.get_engine(settings)) as s:
            start = time.perf_counter()
            run(s)
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--alerts", type=int, default=50_000)
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="bench-feedback-")
    settings = Settings(database_url=args.database_url or f"sqlite:///{folder}/bench.db")
    db.upgrade(settings)
    ids = fill(settings, args.alerts, args.feeds)
    with Session(db.get_engine(settings)) as s:
        got = counts.feed_counts(session=s, feed_ids=ids)
        assert {f: (c.alerts, c.false_alarms) for f, c in got.items()} == baseline(s, ids)
    ours = timed(settings, args.repeat, lambda s: counts.feed_counts(session=s, feed_ids=ids))
    base = timed(settings, args.repeat, lambda s: baseline(s, ids))
    dialect = settings.database_url.split(":", 1)[0]
    print(f"{args.alerts} alerts over {args.feeds} feeds, 1 in 5 false, {dialect}, "
          f"{os.cpu_count()} cores, best/median of {args.repeat}")  # fmt: skip
    for name, times in (("feed_counts (SQL group by)", ours), ("baseline (load, Python)", base)):
        print(f"  {name:28} {min(times) * 1000:8.1f} / {statistics.median(times) * 1000:8.1f} ms")
    ratio = statistics.median(base) / statistics.median(ours)
    print(f"  ratio (baseline / ours, medians): {ratio:.2f}")


if __name__ == "__main__":
    main()
