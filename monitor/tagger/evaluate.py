"""Score the tagger against a labelled set (JSON Lines: contract input + a `gold` object).

is_disruption: precision, recall and F1. Countries and materials: micro-F1 over the gold
disruptions (where a disruption is and what it hits is what the monitor needs; the cascade
skips place extraction for items it rules out early), and, for information, over every item.
Event type and severity: accuracy over the gold disruptions only, since non-disruptions carry
neither (recoveries are scored on `recovery` and, when gold gives one, on their event type).

Every figure comes with a 95% interval: Wilson's score interval for a proportion (precision,
recall, an accuracy), a percentile bootstrap over items for an F1. A file may open with a
`{"_meta": {"split": ..., "frozen": ...}}` line; the report names the split it scored.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import MonitorError
from monitor.tagger.tag import tag_items

Z95 = 1.96
BOOTSTRAP = 1000  # resamples; the seed is fixed so a report is reproducible
ACCURACIES = (("event_type", "event type"), ("severity", "severity"),
              ("recovery", "recovery flag"), ("recognised", "recoveries recognised"))  # fmt: skip


def wilson(right: int, total: int) -> tuple[float, float]:
    """Return the 95% Wilson score interval of right/total ((0, 1) when total is 0)."""
    if total == 0:
        return 0.0, 1.0
    p = right / total
    denominator = 1 + Z95**2 / total
    centre = (p + Z95**2 / (2 * total)) / denominator
    half = Z95 * math.sqrt(p * (1 - p) / total + Z95**2 / (4 * total**2)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def f1_of(tp: int, fp: int, fn: int) -> float:
    """Return F1 from counts (1.0 when there is nothing to find and nothing found)."""
    return 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0


@dataclass
class Counts:
    """True positives, false positives and false negatives, item by item."""

    per_item: list[tuple[int, int, int]] = field(default_factory=list)

    def add(self, expected: set[Any], got: set[Any]) -> None:
        """Count one item's sets."""
        self.per_item.append((len(expected & got), len(got - expected), len(expected - got)))

    @property
    def tp(self) -> int:
        return sum(t for t, _, _ in self.per_item)

    @property
    def fp(self) -> int:
        return sum(f for _, f, _ in self.per_item)

    @property
    def fn(self) -> int:
        return sum(f for _, _, f in self.per_item)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        return f1_of(self.tp, self.fp, self.fn)

    def f1_interval(self, seed: int = 0) -> tuple[float, float]:
        """Return the 95% percentile-bootstrap interval of the micro-F1, resampling items."""
        rows, n = self.per_item, len(self.per_item)
        if not n:
            return 0.0, 1.0
        rng = random.Random(seed)
        scores = []
        for _ in range(BOOTSTRAP):
            tp = fp = fn = 0
            for i in rng.choices(range(n), k=n):
                t, p, f = rows[i]
                tp, fp, fn = tp + t, fp + p, fn + f
            scores.append(f1_of(tp, fp, fn))
        scores.sort()
        return scores[int(0.025 * BOOTSTRAP)], scores[int(0.975 * BOOTSTRAP) - 1]


@dataclass(frozen=True)
class Figure:
    """One measure: its value, 95% interval and what it was computed over."""

    value: float
    low: float
    high: float
    basis: str


@dataclass
class Report:
    """Every score of one evaluation, and the errors behind them."""

    items: int = 0
    split: str = ""
    disruption: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    materials: Counts = field(default_factory=Counts)
    countries_all: Counts = field(default_factory=Counts)
    materials_all: Counts = field(default_factory=Counts)
    scored: dict[str, list[int]] = field(default_factory=dict)  # field -> [right, total]
    errors: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        right, total = self.scored.get(name, [0, 0])
        return right / total if total else 1.0

    def score(self, name: str, item_id: str, expected: Any, got: Any) -> None:
        """Count one comparison and keep it as an error when it is wrong."""
        tally = self.scored.setdefault(name, [0, 0])
        tally[1] += 1
        if expected == got:
            tally[0] += 1
        else:
            self.errors.append((item_id, name, expected, got))

    def _proportion(self, right: int, total: int, unit: str) -> Figure:
        return Figure(
            right / total if total else 1.0, *wilson(right, total), f"{right}/{total} {unit}"
        )

    def _f1(self, counts: Counts, unit: str) -> Figure:
        basis = f"{unit}: tp {counts.tp}, fp {counts.fp}, fn {counts.fn}"
        return Figure(counts.f1, *counts.f1_interval(), basis)

    def figures(self) -> dict[str, Figure]:
        """Return every measure with its interval."""
        d = self.disruption
        out = {
            "is_disruption P": self._proportion(d.tp, d.tp + d.fp, "flagged"),
            "is_disruption R": self._proportion(d.tp, d.tp + d.fn, "disruptions"),
            "is_disruption F1": self._f1(d, "items"),
            "country F1": self._f1(self.countries, "disruptions"),
            "material F1": self._f1(self.materials, "disruptions"),
            "country F1, all items": self._f1(self.countries_all, "items"),
            "material F1, all items": self._f1(self.materials_all, "items"),
        }
        for name, label in ACCURACIES:
            right, total = self.scored.get(name, [0, 0])
            out[label] = self._proportion(right, total, "items")
        return out

    def summary(self) -> dict[str, float]:
        """Return the headline figures."""
        return {name: f.value for name, f in self.figures().items()}


def read_labelled(path: Path, meta: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
    """Yield the labelled items of a JSON Lines file; raise MonitorError on a bad line.

    A `_meta` line is not an item; when `meta` is given, its fields are copied there.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise MonitorError(f"cannot read {path}: {exc.strerror}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise MonitorError(f"{path}:{number}: not JSON: {exc.msg}") from exc
        if isinstance(row, dict) and isinstance(row.get("_meta"), dict):
            if meta is not None:
                meta.update(row["_meta"])
            continue
        if not isinstance(row, dict) or not isinstance(row.get("gold"), dict):
            raise MonitorError(f"{path}:{number}: no gold labels")
        yield row


def evaluate(rows: Iterable[dict[str, Any]], *, split: str = "") -> Report:
    """Tag the rows (without their labels) and score the output against `gold`."""
    rows = list(rows)
    report = Report(items=len(rows), split=split)
    inputs = [{k: v for k, v in row.items() if k not in ("gold", "source")} for row in rows]
    for row, out in zip(rows, tag_items(inputs), strict=True):
        _score(report, str(row.get("id")), row["gold"], out)
    return report


def _score(report: Report, item_id: str, gold: dict[str, Any], out: dict[str, Any]) -> None:
    if "error" in out:
        report.errors.append((item_id, "error", None, out["error"]))
        out = {}
    expected, got = bool(gold.get("is_disruption")), bool(out.get("is_disruption"))
    report.disruption.add({item_id} if expected else set(), {item_id} if got else set())
    if expected != got:
        report.errors.append((item_id, "is_disruption", expected, got))
    report.score("recovery", item_id, bool(gold.get("recovery")), bool(out.get("recovery")))
    if gold.get("recovery"):
        report.score("recognised", item_id, True, bool(out.get("recovery")))
    if expected or (gold.get("recovery") and gold.get("event_type")):
        report.score("event_type", item_id, gold.get("event_type"), out.get("event_type"))
    if expected:
        report.score("severity", item_id, gold.get("severity"), out.get("severity"))
    for name, counts, every, got_set in (
        ("countries", report.countries, report.countries_all, set(out.get("countries") or ())),
        ("materials", report.materials, report.materials_all,
         {m["name"] for m in out.get("materials") or ()}),
    ):  # fmt: skip
        want = set(gold.get(name) or ())
        every.add(want, got_set)
        if expected:
            counts.add(want, got_set)
            if want != got_set:
                report.errors.append((item_id, name, sorted(want), sorted(got_set)))


def format_report(report: Report, *, errors: bool = True) -> str:
    """Return the report as text: the split, each figure with its 95% interval, the errors."""
    lines = [f"split: {report.split or 'unnamed'}", f"items: {report.items}"]
    for name, f in report.figures().items():
        lines.append(f"{name}: {f.value:.3f}  [{f.low:.3f}, {f.high:.3f}]  ({f.basis})")
    lines.append("intervals: 95%, Wilson for proportions, item bootstrap for F1")
    if errors:
        lines.append(f"errors: {len(report.errors)}")
        lines += [f"  {i}\t{f}\texpected={e!r}\tgot={g!r}" for i, f, e, g in report.errors]
    return "\n".join(lines)
