"""Validate the tagger's labelled sets: tests/data/dev.jsonl and the frozen test.jsonl."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

from monitor.vocab import EVENT_TYPES, SEVERITIES, materials

DATA = Path(__file__).resolve().parents[2] / "data"
DEV, TEST = DATA / "dev.jsonl", DATA / "test.jsonl"
REQUIRED = ("id", "title", "body", "source", "gold")
OPTIONAL = ("url", "published", "lat", "lon", "country_hint", "event_hint", "severity_hint",
            "licence")  # fmt: skip
GOLD_KEYS = {"is_disruption", "recovery", "event_type", "countries", "materials", "severity"}
ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
SOURCE_RE = re.compile(r"^(written|fixture:[\w./-]+|public-domain:https?://\S+)$")


def rows(path: Path) -> list[dict[str, Any]]:
    """Return the lines of a JSON Lines file, the `_meta` line included."""
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def load() -> list[dict[str, Any]]:
    """Return the items of both splits, dev first, without the `_meta` line."""
    return [r for path in (DEV, TEST) for r in rows(path) if "_meta" not in r]


@pytest.fixture(scope="module")
def items() -> list[dict[str, Any]]:
    return load()


def is_country(code: str) -> bool:
    return len(code) == 2 and code.isupper() and pycountry.countries.get(alpha_2=code) is not None


def test_items_have_required_fields_and_nothing_else(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert all(item.get(key) for key in REQUIRED), item.get("id")
        assert set(item) <= {*REQUIRED, *OPTIONAL}, item["id"]
        assert set(item["gold"]) == GOLD_KEYS, item["id"]
        assert SOURCE_RE.match(item["source"]), item["id"]


def test_ids_are_unique_and_well_formed(items: list[dict[str, Any]]) -> None:
    ids = [item["id"] for item in items]
    assert [i for i, n in Counter(ids).items() if n > 1] == []
    assert [i for i in ids if not ID_RE.match(i)] == []
    reports = [item for item in items if item["id"].startswith("report-")]
    assert all(item["source"] == "written" for item in reports)


def test_texts_are_10_to_150_words(items: list[dict[str, Any]]) -> None:
    lengths = {item["id"]: len(f"{item['title']} {item['body']}".split()) for item in items}
    assert {i: n for i, n in lengths.items() if not 10 <= n <= 150} == {}


def test_gold_labels_are_within_the_vocabularies(items: list[dict[str, Any]]) -> None:
    known = materials()
    for item in items:
        gold = item["gold"]
        assert gold["event_type"] is None or gold["event_type"] in EVENT_TYPES, item["id"]
        assert gold["severity"] is None or gold["severity"] in SEVERITIES, item["id"]
        assert all(is_country(c) for c in gold["countries"]), item["id"]
        assert len(set(gold["countries"])) == len(gold["countries"]), item["id"]
        assert all(m in known for m in gold["materials"]), item["id"]
        assert len(set(gold["materials"])) == len(gold["materials"]), item["id"]


def test_hints_are_within_the_vocabularies(items: list[dict[str, Any]]) -> None:
    for item in items:
        assert all(is_country(c) for c in item.get("country_hint", [])), item["id"]
        assert item.get("event_hint") in (None, *EVENT_TYPES), item["id"]
        assert item.get("severity_hint") in (None, *SEVERITIES), item["id"]
        if "lat" in item:
            assert -90 <= item["lat"] <= 90 and -180 <= item["lon"] <= 180, item["id"]


def test_labelling_conventions_hold(items: list[dict[str, Any]]) -> None:
    for item in items:
        gold = item["gold"]
        if gold["is_disruption"]:
            # A disruption names its type, its severity and at least one affected country.
            assert gold["event_type"] and gold["severity"] and gold["countries"], item["id"]
            assert gold["recovery"] is False, item["id"]
        else:
            assert gold["severity"] is None, item["id"]
            # A recovery keeps the type of the event that ended; other negatives have none.
            assert (gold["event_type"] is not None) == gold["recovery"], item["id"]


def test_size_and_share_of_negatives(items: list[dict[str, Any]]) -> None:
    negatives = sum(not item["gold"]["is_disruption"] for item in items)
    assert len(items) >= 200
    assert 0.25 <= negatives / len(items) <= 0.45


def test_every_event_type_has_five_positives(items: list[dict[str, Any]]) -> None:
    counts = Counter(item["gold"]["event_type"] for item in items if item["gold"]["is_disruption"])
    assert {t: counts[t] for t in EVENT_TYPES if counts[t] < 5} == {}


def test_the_test_split_says_it_is_frozen() -> None:
    first, *rest = rows(TEST)
    assert first["_meta"]["split"] == "test" and first["_meta"]["frozen"] is True
    assert "never tune" in first["_meta"]["note"]
    assert all("_meta" not in r for r in [*rest, *rows(DEV)])


def test_the_split_follows_its_rule() -> None:
    """Each batch was split by tests/data/split.py; the written batch must still split so."""
    from tests.data.split import split

    dev, test = rows(DEV), [r for r in rows(TEST) if "_meta" not in r]
    first_batch = [r for r in dev + test if not r.get("licence")]
    want_dev, want_test = split(first_batch)
    assert {r["id"] for r in want_test} == {r["id"] for r in test if not r.get("licence")}
    assert {r["id"] for r in want_dev} == {r["id"] for r in dev if not r.get("licence")}
    assert 0.25 <= len(test) / (len(dev) + len(test)) <= 0.4
