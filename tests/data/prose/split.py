"""Build the real-prose evaluation set from blind labels, split by publisher.

The rule, applied once before the tagger ever ran on these items: a publisher (its domain)
goes to `test.jsonl` when the SHA-256 of its domain, read as a number, is divisible by 3, and
to `dev.jsonl` otherwise. No publisher is in both parts, and nothing in the rule looks at
text, labels or tagger output, so the split can be rebuilt from the domains alone.

Run: python tests/data/prose/split.py CANDIDATES.jsonl GOLD.jsonl [GOLD.jsonl ...]
(writes tests/data/prose/dev.jsonl and test.jsonl; refuses ids already present.)
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
DEV, TEST = HERE / "dev.jsonl", HERE / "test.jsonl"
FIELDS = ("id", "title", "body", "url", "publisher", "publisher_domain", "published", "licence",
          "style")  # fmt: skip
FROZEN = {
    "_meta": {
        "split": "test",
        "frozen": True,
        "note": "Frozen test split of real prose, split by publisher: never tune rules, "
        "lexicons, features, weights or thresholds on it, never read the tagger's errors on "
        "it. Every scoring is logged in tests/data/README.md.",
    }
}


def in_test(domain: str) -> bool:
    """Return whether a publisher's items belong to the test part."""
    return int(hashlib.sha256(domain.encode()).hexdigest(), 16) % 3 == 0


def read(path: Path) -> list[dict[str, Any]]:
    """Return the rows of a JSON Lines file, without a `_meta` line."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return [r for r in rows if "_meta" not in r]


def main(candidates: Path, golds: list[Path]) -> None:
    labels = {row["id"]: row for path in golds for row in read(path)}
    known = {i["id"] for p in (DEV, TEST) if p.exists() for i in read(p)}
    dev, test = [], []
    for item in read(candidates):
        if item["id"] in known:
            sys.exit(f"error: {item['id']} is already in the set")
        label = labels[item["id"]]
        row = {key: item[key] for key in FIELDS}
        row["gold"] = label["gold"]
        if label.get("doubt"):
            row["label_note"] = label["doubt"]
        (test if in_test(item["publisher_domain"]) else dev).append(row)
    if not TEST.exists():
        TEST.write_text(json.dumps(FROZEN) + "\n", encoding="utf-8")
    for path, rows in ((DEV, dev), (TEST, test)):
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    print(f"{len(dev)} to {DEV.name}, {len(test)} to {TEST.name}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__.strip().splitlines()[-2])
    main(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
