"""Parse every shared fixture file N times; print items/s and MB/s per kind.

Baseline, measured in the same run: the bare decoding step alone (`xml.etree` for markup,
`json.loads` for JSON), so the ratio shows what normalisation costs on top of reading the bytes.

    .venv/bin/python bench/parse.py [--repeat N] [--fixtures DIR]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import time
import xml.etree.ElementTree as ET
from collections import defaultdict
from pathlib import Path

from connectors import registry
from connectors.base import ParseError

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"


def _baseline(body: bytes) -> None:
    # stdlib expat fetches no external entities; the broken corpus files just fail fast here
    with contextlib.suppress(ValueError, LookupError, ET.ParseError):
        if body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            json.loads(body)
        else:
            ET.fromstring(body)


def main() -> None:
    """Run the benchmark and print one line per kind, then the totals."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--fixtures", type=Path, default=FIXTURES)
    args = parser.parse_args()
    paths = sorted(p for p in args.fixtures.rglob("*") if p.is_file() and p.suffix != ".md")
    bodies = [p.read_bytes() for p in paths]
    kinds: dict[str, str] = {}
    for index, body in enumerate(bodies):
        try:
            kinds[str(index)] = registry.detect_kind(body)
        except ParseError:
            kinds[str(index)] = "undetected"
    seconds: dict[str, float] = defaultdict(float)
    size: dict[str, int] = defaultdict(int)
    items: dict[str, int] = defaultdict(int)
    base = 0.0
    for _ in range(args.repeat):
        for index, body in enumerate(bodies):
            kind = kinds[str(index)]
            start = time.perf_counter()
            with contextlib.suppress(ParseError):
                items[kind] += len(
                    registry.parse(body, kind=None if kind == "undetected" else kind)
                )
            seconds[kind] += time.perf_counter() - start
            size[kind] += len(body)
            start = time.perf_counter()
            _baseline(body)
            base += time.perf_counter() - start
    print(f"{len(bodies)} files x {args.repeat} runs")
    print(f"{'kind':<11}{'files':>7}{'items/s':>12}{'MB/s':>9}")
    for kind in sorted(seconds):
        count = sum(1 for k in kinds.values() if k == kind)
        rate = items[kind] / seconds[kind]
        print(f"{kind:<11}{count:>7}{rate:>12,.0f}{size[kind] / seconds[kind] / 1e6:>9.2f}")
    total, volume = sum(seconds.values()), sum(size.values())
    rate = sum(items.values()) / total
    print(f"{'all':<11}{len(bodies):>7}{rate:>12,.0f}{volume / total / 1e6:>9.2f}")
    print(f"baseline (etree/json.loads only): {volume / base / 1e6:.2f} MB/s; "
          f"full parse takes {total / base:.1f}x the baseline time")  # fmt: skip


if __name__ == "__main__":
    main()
