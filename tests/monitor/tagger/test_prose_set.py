"""Validate the real-prose evaluation set: tests/data/prose/dev.jsonl and the frozen test.jsonl."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pycountry
import pytest

from monitor.vocab import EVENT_TYPES, SEVERITIES, materials

PROSE = Path(__file__).resolve().parents[2] / "data" / "prose"
IMPACTS = {"port_closure", "port_congestion", "route_blockage", "sailings_cancelled",
           "production_halt", "power_outage", "export_halt", "transport_suspension",
           "shortage"}  # fmt: skip
GOLD_KEYS = {"is_disruption", "recovery", "event_type", "impacts", "countries", "materials",
             "severity"}  # fmt: skip
FIELDS = {"id", "title", "body", "url", "publisher", "publisher_domain", "published", "licence",
          "style", "gold"}  # fmt: skip


def rows(name: str) -> list[dict[str, Any]]:
    with (PROSE / name).open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def parts() -> dict[str, list[dict[str, Any]]]:
    return {"dev": rows("dev.jsonl"), "test": [r for r in rows("test.jsonl") if "_meta" not in r]}


def test_test_part_is_marked_frozen() -> None:
    assert rows("test.jsonl")[0]["_meta"]["frozen"] is True


def test_items_have_their_fields(parts: dict[str, list[dict[str, Any]]]) -> None:
    for item in parts["dev"] + parts["test"]:
        assert FIELDS <= set(item) <= FIELDS | {"label_note"}, item["id"]
        assert item["title"] and item["url"].startswith(("http://", "https://")), item["id"]
        assert set(item["gold"]) == GOLD_KEYS, item["id"]


def test_labels_use_the_shared_vocabularies(parts: dict[str, list[dict[str, Any]]]) -> None:
    names = set(materials())
    for item in parts["dev"] + parts["test"]:
        gold = item["gold"]
        assert not (gold["is_disruption"] and gold["recovery"]), item["id"]
        assert gold["event_type"] is None or gold["event_type"] in EVENT_TYPES, item["id"]
        assert (gold["event_type"] is not None) == (gold["is_disruption"] or gold["recovery"])
        assert (gold["severity"] is not None) == gold["is_disruption"], item["id"]
        assert gold["severity"] is None or gold["severity"] in SEVERITIES, item["id"]
        assert set(gold["impacts"]) <= IMPACTS, item["id"]
        assert set(gold["materials"]) <= names, item["id"]
        assert all(pycountry.countries.get(alpha_2=c) for c in gold["countries"]), item["id"]


def test_no_publisher_is_in_both_parts(parts: dict[str, list[dict[str, Any]]]) -> None:
    dev = {i["publisher_domain"] for i in parts["dev"]}
    test = {i["publisher_domain"] for i in parts["test"]}
    assert dev and test and not dev & test


def test_the_set_is_large_and_from_many_publishers(parts: dict[str, list[dict[str, Any]]]) -> None:
    items = parts["dev"] + parts["test"]
    ids = Counter(i["id"] for i in items)
    assert [i for i, n in ids.items() if n > 1] == []
    assert len(items) >= 400
    assert len({i["publisher_domain"] for i in items}) >= 15
    assert len({i["publisher_domain"] for i in parts["test"]}) >= 15
