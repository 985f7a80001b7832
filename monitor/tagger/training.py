"""Fit the role model's weights (roles.py) on a labelled set, with cross-validation grouped by
publisher, and say whether it beats the rules.

Run: python -m monitor.tagger.training [tests/data/prose/dev.jsonl] [--write]
Never on a frozen test split: the test items are scored once per round, never tuned on.
"""

from __future__ import annotations

import argparse
import json
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from monitor.tagger import events, pipeline
from monitor.tagger.roles import FEATURES, THRESHOLD, WEIGHTS_FILE, candidates, straits
from monitor.tagger.tag import CHUNK, Prepared, analyse_chunk

DEV = Path("tests/data/prose/dev.jsonl")
FOLDS = 5
L2 = 1.0  # ridge penalty on every weight but the bias
STEPS, RATE = 3000, 0.5


@dataclass(frozen=True)
class Example:
    """One labelled item's country candidates: features, gold flags and the gold countries."""

    item: str
    group: str
    x: np.ndarray  # candidates x FEATURES
    y: np.ndarray  # 1 where the candidate is a gold country
    rules: np.ndarray  # 1 where the rules keep it
    buyers: int  # gold materials, or 0 for none (then every buyer in the country is alerted)
    countries: tuple[str, ...]  # the candidates' countries, in the order of `x`
    gold: frozenset[str]  # every gold country, named by a candidate or not
    straits: tuple[tuple[str, ...], ...] = ()  # the two shores of each strait it names


def examples(rows: Sequence[dict[str, Any]]) -> Iterator[Example]:
    """Yield the country candidates of every gold disruption or recovery with a trigger."""
    keep = [r for r in rows if r["gold"].get("is_disruption") or r["gold"].get("recovery")]
    for start in range(0, len(keep), CHUNK):
        for row, p, doc, hits in analyse_chunk(tuple(keep[start : start + CHUNK])):
            if not isinstance(p, Prepared) or doc is None or not isinstance(hits, list):
                continue
            triggers = events.resolve(pipeline.find_matches(doc))
            spans = [(t.match.start_char, t.match.end_char) for t in triggers
                     if t.status == "asserted"]  # fmt: skip
            found = candidates(hits, p.text, p.title_len, spans)
            gold = set(row["gold"]["countries"])
            rules = _rules_flags(found)
            x = np.array([c.features for c in found], dtype=float).reshape(-1, len(FEATURES))
            y = np.array([c.country in gold for c in found], dtype=float)
            buyers = len(set(row["gold"].get("materials") or ()))
            countries = tuple(c.country for c in found)
            yield Example(str(row["id"]), _group(row), x, y, rules, buyers,
                          countries, frozenset(gold), tuple(straits(hits)))  # fmt: skip


def _rules_flags(found: list[Any]) -> np.ndarray:
    index = FEATURES.index("rules_keep")
    return np.array([c.features[index] for c in found], dtype=float)


def _group(row: dict[str, Any]) -> str:
    return str(row.get("publisher_domain") or row.get("publisher") or row["id"])


def fit(x: np.ndarray, y: np.ndarray, s: np.ndarray | None = None) -> np.ndarray:
    """Fit an L2-regularised logistic regression by gradient descent, each row weighing `s`
    (1 by default); return its weights."""
    s = np.ones(len(y)) if s is None else s / s.mean()
    w = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[FEATURES.index("bias")] = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ w, -30, 30)))
        grad = x.T @ (s * (p - y)) / len(y) + penalty * w / len(y)
        w -= RATE * grad
    return w


def f1(
    chosen: Sequence[np.ndarray], data: Sequence[Example], *, shores: bool = False
) -> tuple[float, int, int, int]:
    """Return micro F1 (and tp, fp, fn) of chosen candidates against gold, misses included;
    with `shores`, a kept shore of a strait brings the other, as `roles.judge` does."""
    tp = fp = fn = 0
    for keep, ex in zip(chosen, data, strict=True):
        kept = {c for c, k in zip(ex.countries, keep, strict=True) if k}
        for held in ex.straits if shores else ():
            kept |= set(held) if kept & set(held) else set()
        tp, fp, fn = tp + len(kept & ex.gold), fp + len(kept - ex.gold), fn + len(ex.gold - kept)
    return (2 * tp / (2 * tp + fp + fn) if tp else 0.0), tp, fp, fn


def fold_of(group: str) -> int:
    """Put a publisher in one fold, the same on every run."""
    return zlib.crc32(group.encode()) % FOLDS


def cross_validate(data: list[Example], threshold: float = 0.5) -> list[np.ndarray]:
    """Return each example's kept candidates, predicted by a model fitted on the other folds."""
    chosen: list[np.ndarray] = [np.zeros(0)] * len(data)
    for fold in range(FOLDS):
        train = [ex for ex in data if fold_of(ex.group) != fold and len(ex.y)]
        w = fit(np.vstack([ex.x for ex in train]), np.concatenate([ex.y for ex in train]))
        for i, ex in enumerate(data):
            if fold_of(ex.group) == fold:
                p = 1.0 / (1.0 + np.exp(-(ex.x @ w))) if len(ex.y) else np.zeros(0)
                chosen[i] = (p >= threshold).astype(float)
    return chosen


def main(argv: Sequence[str] | None = None) -> None:
    """Print grouped-CV F1 of the rules and the model; with --write, store the weights."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", nargs="?", type=Path, default=DEV)
    parser.add_argument("--write", action="store_true", help=f"write data/{WEIGHTS_FILE}")
    args = parser.parse_args(argv)
    if args.file.name.startswith("test"):
        parser.error("never fit on a test split")
    rows = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines()]
    data = list(examples(rows))
    groups = {ex.group for ex in data}
    print(f"{len(data)} items, {sum(len(ex.y) for ex in data)} candidates, "
          f"{len(groups)} publishers, {FOLDS} folds grouped by publisher")  # fmt: skip
    print("rules         " + _line(f1([ex.rules for ex in data], data)))
    for threshold in sorted({0.3, 0.5, THRESHOLD}):
        chosen = cross_validate(data, threshold)
        print(f"model p>={threshold:.2f} " + _line(f1(chosen, data, shores=True)))
    if args.write:
        w = fit(np.vstack([ex.x for ex in data]), np.concatenate([ex.y for ex in data]))
        _write(w)


def _line(figures: tuple[float, int, int, int]) -> str:
    score, tp, fp, fn = figures
    return f"F1 {score:.3f} (tp {tp}, fp {fp}, fn {fn})"


def _write(w: np.ndarray) -> None:
    from monitor.tagger.datafiles import DATA

    lines = [
        "feature;weight",
        "# Weights of the country role model (monitor/tagger/roles.py), fitted by",
        "# `python -m monitor.tagger.training --write` on tests/data/prose/dev.jsonl.",
    ]
    lines += [f"{name};{value:.4f}" for name, value in zip(FEATURES, w, strict=True)]
    (DATA / WEIGHTS_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
