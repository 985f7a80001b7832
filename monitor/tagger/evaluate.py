"""Score the tagger against a labelled set (JSON Lines: contract input + a `gold` object).

is_disruption: precision, recall and F1. Countries and materials: micro-F1 over the gold
disruptions (where a disruption is and what it hits is what the monitor needs; the cascade
skips place extraction for items it rules out early), and, for information, over every item.
Event type and severity: accuracy over the gold disruptions only, since non-disruptions carry
neither (recoveries are scored on `recovery` and, when gold gives one, on their event type).

Alerts, first: what buyers feel. The population is one buyer per (country, material) of every
gold country and gold material in the scored set; an item alerts a buyer when it is a
disruption (not a recovery), the buyer's country is among its countries, and the buyer's
material is among its materials or it names none (`docs/design.md`, "What the labels mean").
Alert precision and recall count (item, buyer) pairs, the tagger's against gold's.

Every figure comes with a 95% interval: Wilson's score interval for a proportion (precision,
recall, an accuracy), a percentile bootstrap over items for an F1 and for the alert pairs
(one item's pairs stand or fall together). A file may open with a
`{"_meta": {"split": ..., "frozen": ...}}` line; the report names the split it scored. Items
with a `publisher` or a `style` are also scored per style and per publisher of five or more
items.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from monitor.errors import MonitorError
from monitor.tagger.tag import tag_items

Z95 = 1.96
BOOTSTRAP = 1000  # resamples; the seed is fixed so a report is reproducible
ACCURACIES = (("event_type", "event type"), ("severity", "severity"),
              ("recovery", "recovery flag"), ("recognised", "recoveries recognised"),
              ("flagged", "flagged (disruption or recovery)"),
              ("event_or_impact", "event (cause or an impact)"),
              ("countries_exact", "countries exactly right"))  # fmt: skip
# Impacts that name an event type of their own: an advisory's event is right when the tagger
# gives the cause or one of these.
IMPACT_EVENTS = {"port_congestion": "port_congestion", "route_blockage": "route_blockage",
                 "power_outage": "power_outage", "export_halt": "export_restriction"}  # fmt: skip
GROUP_MIN = 5  # a publisher is scored on its own from this many items
# What issue 17 asks of terse advisories, printed per style: (measure, label).
ADVISORY_MEASURES = [
    ("flagged (disruption or recovery)", "flagged"),
    ("countries exactly right", "countries exactly right"),
    ("country P", "country P"),
    ("event (cause or an impact)", "event"),
]


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

    def add_counts(self, tp: int, fp: int, fn: int) -> None:
        """Count one item's true positives, false positives and false negatives."""
        self.per_item.append((tp, fp, fn))

    def f1_interval(self, seed: int = 0) -> tuple[float, float]:
        """Return the 95% percentile-bootstrap interval of the micro-F1, resampling items."""
        return self.interval(f1_of, seed)

    def interval(
        self, measure: Callable[[int, int, int], float], seed: int = 0
    ) -> tuple[float, float]:
        """Return the 95% percentile-bootstrap interval of `measure(tp, fp, fn)` over items."""
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
            scores.append(measure(tp, fp, fn))
        scores.sort()
        return scores[int(0.025 * BOOTSTRAP)], scores[int(0.975 * BOOTSTRAP) - 1]


def precision_of(tp: int, fp: int, fn: int) -> float:
    """Return precision from counts (1.0 when nothing was found)."""
    return tp / (tp + fp) if tp + fp else 1.0


def recall_of(tp: int, fp: int, fn: int) -> float:
    """Return recall from counts (1.0 when there was nothing to find)."""
    return tp / (tp + fn) if tp + fn else 1.0


@dataclass(frozen=True)
class Buyers:
    """The alert population: one buyer per (country, material) of the gold labels."""

    countries: frozenset[str]
    materials: frozenset[str]

    @classmethod
    def of(cls, golds: Iterable[dict[str, Any]]) -> Buyers:
        """Return the population of every gold country and material."""
        golds = list(golds)
        return cls(
            frozenset(c for g in golds for c in g.get("countries") or ()),
            frozenset(m for g in golds for m in g.get("materials") or ()),
        )

    def alerted(self, tag: dict[str, Any]) -> tuple[set[str], set[str]]:
        """Return the countries and materials of the buyers one tag alerts (their product)."""
        if not tag.get("is_disruption") or tag.get("recovery"):
            return set(), set()
        materials = set(tag.get("materials") or ()) & self.materials
        named = bool(tag.get("materials"))
        return set(tag.get("countries") or ()) & self.countries, (
            materials if named else set(self.materials)
        )

    def pairs(self, gold: dict[str, Any], got: dict[str, Any]) -> tuple[int, int, int]:
        """Return (tp, fp, fn) over the (item, buyer) alert pairs of one item."""
        gold_c, gold_m = self.alerted(gold)
        got_c, got_m = self.alerted(got)
        tp = len(gold_c & got_c) * len(gold_m & got_m)
        return tp, len(got_c) * len(got_m) - tp, len(gold_c) * len(gold_m) - tp


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
    alerts: Counts = field(default_factory=Counts)
    disruption: Counts = field(default_factory=Counts)
    impacts: Counts = field(default_factory=Counts)
    countries: Counts = field(default_factory=Counts)
    materials: Counts = field(default_factory=Counts)
    countries_all: Counts = field(default_factory=Counts)
    materials_all: Counts = field(default_factory=Counts)
    scored: dict[str, list[int]] = field(default_factory=dict)  # field -> [right, total]
    errors: list[tuple[str, str, Any, Any]] = field(default_factory=list)

    def accuracy(self, name: str) -> float:
        right, total = self.scored.get(name, [0, 0])
        return right / total if total else 1.0

    def score(
        self, name: str, item_id: str, expected: Any, got: Any, *, listed: bool = True
    ) -> None:
        """Count one comparison; keep it as an error when it is wrong (and `listed`)."""
        tally = self.scored.setdefault(name, [0, 0])
        tally[1] += 1
        if expected == got:
            tally[0] += 1
        elif listed:
            self.errors.append((item_id, name, expected, got))

    def _proportion(self, right: int, total: int, unit: str) -> Figure:
        return Figure(
            right / total if total else 1.0, *wilson(right, total), f"{right}/{total} {unit}"
        )

    def _f1(self, counts: Counts, unit: str) -> Figure:
        basis = f"{unit}: tp {counts.tp}, fp {counts.fp}, fn {counts.fn}"
        return Figure(counts.f1, *counts.f1_interval(), basis)

    def _bootstrapped(
        self, counts: Counts, measure: Callable[[int, int, int], float], basis: str
    ) -> Figure:
        return Figure(measure(counts.tp, counts.fp, counts.fn), *counts.interval(measure), basis)

    def figures(self) -> dict[str, Figure]:
        """Return every measure with its interval, alerts first."""
        a, d = self.alerts, self.disruption
        out = {
            "alert P": self._bootstrapped(a, precision_of, f"{a.tp}/{a.tp + a.fp} alert pairs"),
            "alert R": self._bootstrapped(a, recall_of, f"{a.tp}/{a.tp + a.fn} alert pairs"),
            "is_disruption P": self._proportion(d.tp, d.tp + d.fp, "flagged"),
            "is_disruption R": self._proportion(d.tp, d.tp + d.fn, "disruptions"),
            "is_disruption F1": self._f1(d, "items"),
            "country F1": self._f1(self.countries, "disruptions"),
            "country P": self._proportion(
                self.countries.tp, self.countries.tp + self.countries.fp, "countries tagged"
            ),
            "material F1": self._f1(self.materials, "disruptions"),
            "country F1, all items": self._f1(self.countries_all, "items"),
            "material F1, all items": self._f1(self.materials_all, "items"),
            "impact F1": self._f1(self.impacts, "disruptions with gold impacts"),
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


LABEL_ONLY = ("gold", "source", "label_note", "publisher", "publisher_domain", "licence", "style")


@dataclass
class Evaluation:
    """The whole set's report, and the same scores per style and per publisher."""

    report: Report
    groups: dict[str, Report] = field(default_factory=dict)


def evaluate(rows: Iterable[dict[str, Any]], *, split: str = "") -> Report:
    """Tag the rows (without their labels) and score the output against `gold`."""
    return evaluate_groups(rows, split=split).report


def evaluate_groups(rows: Iterable[dict[str, Any]], *, split: str = "") -> Evaluation:
    """Tag the rows once; score the whole set, each style and each publisher of 5+ items."""
    rows = list(rows)
    inputs = [{k: v for k, v in row.items() if k not in LABEL_ONLY} for row in rows]
    outputs = tag_items(inputs)
    buyers = Buyers.of(row["gold"] for row in rows)
    scored = list(zip(rows, outputs, strict=True))
    groups: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = {}
    for row, out in scored:
        if row.get("style"):
            groups.setdefault(f"style {row['style']}", []).append((row, out))
        if row.get("publisher_domain"):
            groups.setdefault(f"publisher {row['publisher_domain']}", []).append((row, out))
    return Evaluation(
        report=_report(scored, buyers, split),
        groups={
            name: _report(members, buyers, name)
            for name, members in sorted(groups.items())
            if name.startswith("style ") or len(members) >= GROUP_MIN
        },
    )


def _report(
    scored: list[tuple[dict[str, Any], dict[str, Any]]], buyers: Buyers, split: str
) -> Report:
    report = Report(items=len(scored), split=split)
    for row, out in scored:
        _score(report, buyers, str(row.get("id")), row["gold"], out)
    return report


def _score(
    report: Report, buyers: Buyers, item_id: str, gold: dict[str, Any], out: dict[str, Any]
) -> None:
    if "error" in out:
        report.errors.append((item_id, "error", None, out["error"]))
        out = {}
    got_materials = [m["name"] for m in out.get("materials") or ()]
    report.alerts.add_counts(*buyers.pairs(gold, {**out, "materials": got_materials}))
    _score_flags(report, item_id, gold, out)
    if "impacts" in gold and gold.get("is_disruption"):
        want = set(gold["impacts"])
        got_impacts = {i["type"] for i in out.get("impacts") or ()}
        report.impacts.add(want, got_impacts)
    _score_places_and_goods(report, item_id, gold, out, set(got_materials))


def _score_flags(report: Report, item_id: str, gold: dict[str, Any], out: dict[str, Any]) -> None:
    """Score disruption, recovery, event type, severity, and an advisory's flag and event."""
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
    if expected or gold.get("recovery"):
        flagged = bool(out.get("is_disruption") or out.get("recovery"))
        report.score("flagged", item_id, True, flagged, listed=False)
        causes = {gold.get("event_type")} | {
            IMPACT_EVENTS[i] for i in gold.get("impacts") or () if i in IMPACT_EVENTS
        }
        event = out.get("event_type")
        report.score("event_or_impact", item_id, True, flagged and event in causes, listed=False)


def _score_places_and_goods(
    report: Report, item_id: str, gold: dict[str, Any], out: dict[str, Any], materials: set[str]
) -> None:
    """Score countries and materials: over disruptions, and over every item for information."""
    expected = bool(gold.get("is_disruption"))
    for name, counts, every, got_set in (
        ("countries", report.countries, report.countries_all, set(out.get("countries") or ())),
        ("materials", report.materials, report.materials_all, materials),
    ):  # fmt: skip
        want = set(gold.get(name) or ())
        every.add(want, got_set)
        if expected:
            counts.add(want, got_set)
            if want != got_set:
                report.errors.append((item_id, name, sorted(want), sorted(got_set)))
    if expected or gold.get("recovery"):
        got_countries = set(out.get("countries") or ())
        want_countries = set(gold.get("countries") or ())
        report.score("countries_exact", item_id, want_countries, got_countries, listed=False)


def format_groups(evaluation: Evaluation) -> str:
    """Return one line per style and per publisher of 5+ items: alert and disruption P/R; a
    style also gets the advisory measures (flagged, countries exactly right, country P, event
    by cause or impact)."""
    lines = []
    for name, report in evaluation.groups.items():
        f = report.figures()
        keys = [("alert P", "alert P"), ("alert R", "R"), ("is_disruption P", "disruption P"),
                ("is_disruption R", "R")]  # fmt: skip
        if name.startswith("style "):
            keys += ADVISORY_MEASURES
        parts = [f"{label} {f[key].value:.2f} [{f[key].low:.2f}, {f[key].high:.2f}]"
                 for key, label in keys]  # fmt: skip
        lines.append(f"  {name} ({report.items} items): " + ", ".join(parts))
    return "\n".join(lines)


def format_report(report: Report, *, errors: bool = True) -> str:
    """Return the report as text: the split, each figure with its 95% interval, the errors."""
    lines = [f"split: {report.split or 'unnamed'}", f"items: {report.items}"]
    for name, f in report.figures().items():
        lines.append(f"{name}: {f.value:.3f}  [{f.low:.3f}, {f.high:.3f}]  ({f.basis})")
    lines.append("intervals: 95%, Wilson for proportions, item bootstrap for F1 and alert pairs")
    if errors:
        lines.append(f"errors: {len(report.errors)}")
        lines += [f"  {i}\t{f}\texpected={e!r}\tgot={g!r}" for i, f, e, g in report.errors]
    return "\n".join(lines)
