"""Split labelled items into `dev` (tune on it) and `test` (frozen), by a fixed rule.

The rule, applied once to each batch of new items before anyone looks at the tagger's output
on them: group the batch by stratum (source kind and gold class: the event type of a
disruption, `recovery:<type>` or `negative`), order each stratum by the SHA-256 of the ids,
and send every third item (ranks 1, 4, 7, ...) to `test`, the rest to `dev`. Nothing in the
rule looks at text or tagger output, so the split can be rebuilt from ids and labels alone.

Run: .venv/bin/python tests/data/split.py NEW.jsonl
(appends to tests/data/dev.jsonl and tests/data/test.jsonl; refuses ids already present.)
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEV, TEST = HERE / "dev.jsonl", HERE / "test.jsonl"
FROZEN = {
    "_meta": {
        "split": "test",
        "frozen": True,
        "note": "Frozen test split: never tune rules, lexicons or thresholds on it, never read "
        "the tagger's errors on it while changing the tagger. Every scoring is logged in "
        "tests/data/README.md.",
    }
}


def source_kind(item: dict[str, Any]) -> str:
    """Return the stratum's source part: written, report, pd, real or the fixture folder."""
    source, item_id = item["source"], item["id"]
    if item_id.startswith("report-"):
        return "report"
    if source.startswith("fixture:"):
        return "fixture:" + source.removeprefix("fixture:").split("/")[0]
    return source.split(":")[0]


def gold_class(gold: dict[str, Any]) -> str:
    """Return the stratum's label part."""
    if gold["is_disruption"]:
        return str(gold["event_type"])
    return f"recovery:{gold['event_type']}" if gold["recovery"] else "negative"


def split(items: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Return (dev, test) by the rule above, each in the input order."""
    strata: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for item in items:
        strata[(source_kind(item), gold_class(item["gold"]))].append(item)
    to_test: set[str] = set()
    for members in strata.values():
        ranked = sorted(members, key=lambda i: hashlib.sha256(i["id"].encode()).hexdigest())
        to_test.update(i["id"] for n, i in enumerate(ranked) if n % 3 == 1)
    dev = [i for i in items if i["id"] not in to_test]
    test = [i for i in items if i["id"] in to_test]
    return dev, test


def read(path: Path) -> list[dict[str, Any]]:
    """Return the items of a JSON Lines file, without the `_meta` line."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if "_meta" not in r]


def main(new: Path) -> None:
    items = read(new)
    known = {i["id"] for p in (DEV, TEST) if p.exists() for i in read(p)}
    clash = sorted(known & {i["id"] for i in items})
    if clash:
        sys.exit(f"error: ids already in the split: {', '.join(clash[:5])}")
    dev, test = split(items)
    if not TEST.exists():
        TEST.write_text(json.dumps(FROZEN) + "\n", encoding="utf-8")
    for path, rows in ((DEV, dev), (TEST, test)):
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(f"{len(dev)} to {DEV.name}, {len(test)} to {TEST.name}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__.strip().splitlines()[-2])
    main(Path(sys.argv[1]))
