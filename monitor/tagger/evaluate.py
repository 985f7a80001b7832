"""Score the tagger against a labelled set (JSON Lines: contract input + a `gold` object).

is_disruption: precision, recall and F1. Countries and materials: micro-F1 over the gold
disruptions (where a disruption is and what it hits is what the monitor needs; the cascade
skips place extraction for items it rules out early), and, for information, over every item.
Event type and severity: accuracy over the gold disruptions only, since non-disruptions carry
neither (recoveries are scored on `recovery` and, when gold gives one, on their event type).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import MonitorError
from monitor.tagger.tag import tag_items

GOALS = {"is_disruption F1": 0.93, "country F1": 0.90, "material F1": 0.85, "event type": 0.85}


@dataclass
class Counts:
    """True positives, false positives and false negatives."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, expected: set[Any], got: set[Any]) -> None:
        """Count one item's sets."""
        self.tp += len(expected & got)
        self.fp += len(got - expected)
        self.fn += len(expected - got)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Report:
    """Every score of one evaluation, and the errors behind them."""

    items: int = 0
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

    def summary(self) -> dict[str, float]:
        """Return the headline figures."""
        d = self.disruption
        return {
            "is_disruption P": d.precision, "is_disruption R": d.recall,
            "is_disruption F1": d.f1, "recovery": self.accuracy("recovery"),
            "country F1": self.countries.f1, "material F1": self.materials.f1,
            "country F1, all items": self.countries_all.f1,
            "material F1, all items": self.materials_all.f1,
            "event type": self.accuracy("event_type"), "severity": self.accuracy("severity"),
        }  # fmt: skip


def read_labelled(path: Path) -> Iterator[dict[str, Any]]:
    """Yield the labelled items of a JSON Lines file; raise MonitorError on a bad line."""
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
        if not isinstance(row, dict) or not isinstance(row.get("gold"), dict):
            raise MonitorError(f"{path}:{number}: no gold labels")
        yield row


def evaluate(rows: Iterable[dict[str, Any]]) -> Report:
    """Tag the rows (without their labels) and score the output against `gold`."""
    rows = list(rows)
    report = Report(items=len(rows))
    inputs = [{k: v for k, v in row.items() if k != "gold"} for row in rows]
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
    """Return the report as text: headline figures, goals, then one line per error."""
    lines = [f"items: {report.items}"]
    for name, value in report.summary().items():
        goal = GOALS.get(name)
        mark = (
            "" if goal is None else (f"  (goal {goal:.2f} {'met' if value >= goal else 'MISSED'})")
        )
        lines.append(f"{name}: {value:.3f}{mark}")
    if errors:
        lines.append(f"errors: {len(report.errors)}")
        lines += [f"  {i}\t{f}\texpected={e!r}\tgot={g!r}" for i, f, e, g in report.errors]
    return "\n".join(lines)
