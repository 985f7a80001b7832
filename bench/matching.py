"""Matching time per incident: the watch index against a full scan, at 1,000 and 50,000 watches.

Usage: python bench/matching.py [--repeat N]
For each size it prints p50 and p99 per incident of `hits` (which watches an incident hits),
of `match` (those watches with what overlapped, what alerts are built from) and of a full scan,
and the mean number of matches per incident.
Watches are random but shaped like real ones (1-3 countries from the 60 busiest, 1-2 of the
lexicon's materials, a third with a supplier site and radius); incidents are the tagged
disruptions of the bundled sample feeds, so places and materials are the tagger's own.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time

from connectors import registry
from monitor.incidents import ClusterRules, apply_report, cluster_key
from monitor.local.demo import SAMPLE_FEEDS, SAMPLES
from monitor.matching.index import WatchIndex, scan
from monitor.matching.watches import SiteSpec, WatchSpec
from monitor.settings import IncidentSettings
from monitor.tagger.tag import disruption_message, tag_batch
from monitor.vocab import materials


def sample_incidents() -> list[dict]:
    items = []
    for name, kind in SAMPLE_FEEDS.items():
        body = (SAMPLES / name).read_bytes()
        items += [i.to_dict() for i in registry.parse(body, kind=kind, feed_id=1, url="x")]
    out, states = [], {}
    from datetime import UTC, datetime

    now, rules = datetime.now(UTC), ClusterRules.from_settings(IncidentSettings())
    for item, tags in zip(items, tag_batch(items), strict=True):
        if tags.get("is_disruption") and tags.get("event_type"):
            report = disruption_message(item, tags)
            key = cluster_key(report)
            states[key], changes = apply_report(states.get(key), report, now=now,
                                                rules=rules)  # fmt: skip
            out += [c.incident for c in changes if c.emitted]
    return out


def watches(n: int, countries: list[str], rng: random.Random) -> list[WatchSpec]:
    names = sorted(materials())
    out = []
    for i in range(n):
        sites = ()
        if rng.random() < 0.33:
            sites = (SiteSpec(rng.uniform(-50, 60), rng.uniform(-120, 150), rng.uniform(20, 200)),)
        out.append(WatchSpec(
            key=f"watch:{i}", buyer_id=i // 5, name=f"w{i}", watch_id=i,
            materials=frozenset(rng.sample(names, rng.randint(1, 2))),
            countries=frozenset(rng.sample(countries, rng.randint(1, 3))), sites=sites,
            min_severity=rng.choice(["low", "medium", "high"]),
        ))  # fmt: skip
    return out


def timed(fun, incidents: list[dict]) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for inc in incidents:
        start = time.perf_counter()
        fun(inc)
        times.append((time.perf_counter() - start) * 1000)
    return times


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100)[int(q) - 1] if len(values) > 1 else values[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the incidents")
    args = parser.parse_args()
    incidents = sample_incidents()
    countries = sorted({c for inc in incidents for c in inc["countries"]})
    extra = ("US", "CN", "DE", "FR", "IN", "BR", "JP", "GB")
    countries += [c for c in extra if c not in countries]
    rng = random.Random(7)
    print(f"cores: {os.cpu_count()}; incidents: {len(incidents)} (tagged sample feeds), "
          f"{args.repeat} passes")  # fmt: skip
    for n in (1_000, 50_000):
        specs = watches(n, countries, rng)
        index = WatchIndex()
        for spec in specs:
            index.put(spec)
        for inc in incidents:  # the index finds what a full scan finds
            expected = scan(specs, inc)
            assert index.match(inc) == expected
            assert index.hits(inc) == {m.spec.key for m in expected}
        gc.collect()  # as the match stage does after loading watches: the collector then
        gc.freeze()  # skips the long-lived index (and the specs the scan baseline reads)
        run = incidents * args.repeat
        decide = timed(index.hits, run)
        explain = timed(index.match, run)
        slow = timed(lambda i: scan(specs, i), incidents)  # noqa: B023
        matches = sum(len(index.hits(i)) for i in incidents) / len(incidents)
        print(f"{n:>6} watches: hits p50 {p(decide, 50):.3f} ms p99 {p(decide, 99):.3f} ms | "
              f"match p50 {p(explain, 50):.3f} ms p99 {p(explain, 99):.3f} ms | "
              f"full scan p50 {p(slow, 50):.1f} ms p99 {p(slow, 99):.1f} ms | "
              f"{matches:.1f} matches/incident")  # fmt: skip


if __name__ == "__main__":
    main()
