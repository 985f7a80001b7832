"""Print how many texts per second find_places + find_materials tag on one core.

About 2,000 texts: real GDACS and USGS titles from the shared fixtures plus terse,
port-heavy disruption reports and news sentences built from the gazetteer's own ports and
the materials lexicon. The baseline is the blank spaCy tokenizer alone on the same texts.
Run: .venv/bin/python bench/places.py
"""

from __future__ import annotations

import json
import random
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from monitor.tagger.gazetteer import gazetteer  # noqa: E402
from monitor.tagger.materials import find_materials  # noqa: E402
from monitor.tagger.places import affected_countries, find_places  # noqa: E402
from monitor.vocab import materials  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
TEMPLATES = [
    "{port} ({locode}): berth congestion, waiting time {n} days; {material} cargoes delayed.",
    "Dockworkers at the port of {port} went on strike on Monday, halting {material} exports "
    "from {country}.",
    "PORT CLOSURE - {port}, {country}: operations suspended due to strong winds. "
    "Vessels at anchorage: {n}.",
    "Heavy rain caused flooding near {port}; {material} shipments to {country2} are delayed "
    "and truckers blocked roads.",
    "{country} imposed an export ban on {material} after a poor harvest, officials said.",
    "A fire at a {material} warehouse in {port} was brought under control; no injuries.",
    "Customs system outage at {port} and {port2}; {material} and {material2} clearance slowed.",
    "Protesters blocked the {waterway}, disrupting {material} flows to {country2}.",
]


def texts(count: int = 2000) -> list[str]:
    """Return count realistic texts, the fixture titles first."""
    out: list[str] = []
    for name in ("gdacs-rss-7d.xml", "gdacs-rss.xml"):
        xml = (FIXTURES / "gdacs" / name).read_text(encoding="utf-8-sig")
        out += re.findall(r"<title>([^<]+)</title>", xml)
    data = json.loads((FIXTURES / "usgs" / "all_week.geojson").read_text(encoding="utf-8"))
    out += [
        f"M {f['properties']['mag']} - {f['properties']['place']}" for f in data["features"][:600]
    ]
    rng = random.Random(7)
    gaz = gazetteer()
    ports = list(gaz.locodes.values())
    countries = [p.name for p in gaz.countries.values()]
    waterways = ["Suez Canal", "Panama Canal", "Strait of Hormuz", "Rhine", "Bosporus"]
    names = [n for m in materials().values() for n in (m.name, *m.synonyms)]
    while len(out) < count:
        port, port2 = rng.sample(ports, 2)
        out.append(
            rng.choice(TEMPLATES).format(
                port=port.name, locode=port.locode, port2=port2.name, n=rng.randint(1, 9),
                country=gaz.countries[port.country or "US"].name,
                country2=rng.choice(countries), waterway=rng.choice(waterways),
                material=rng.choice(names), material2=rng.choice(names),
            )
        )  # fmt: skip
    return out[:count]


def main() -> None:
    """Time the tagger and the tokenizer baseline over the same texts."""
    sample = texts()
    nlp = gazetteer().nlp
    find_places(sample[0])
    find_materials(sample[0])
    start = time.perf_counter()
    for text in sample:
        nlp.make_doc(text)
    base = time.perf_counter() - start
    start = time.perf_counter()
    found = 0
    for text in sample:
        found += len(affected_countries(find_places(text))) + len(find_materials(text))
    took = time.perf_counter() - start
    print(f"texts: {len(sample)}, countries+materials found: {found}")
    print(f"tokenizer alone (baseline): {len(sample) / base:,.0f} texts/s")
    print(f"find_places + find_materials: {len(sample) / took:,.0f} texts/s")
    print(f"ratio to baseline: {took / base:.1f}x the tokenizer's time")
    articles = [" ".join(sample[i : i + 40])[:5000] for i in range(0, len(sample), 20)]
    start = time.perf_counter()
    for text in articles:
        affected_countries(find_places(text))
        find_materials(text)
    took = time.perf_counter() - start
    print(f"5,000-character articles: {len(articles) / took:,.0f} texts/s ({len(articles)} texts)")


if __name__ == "__main__":
    main()
