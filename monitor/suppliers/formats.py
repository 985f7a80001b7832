"""Read and write supplier files: CSV, a JSON array or JSON Lines, with record locations."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from monitor.errors import MonitorError

# The project's own column order, as `monitor suppliers export` writes it.
COLUMNS = (
    "external_id", "name", "country", "subdivision", "city", "lat", "lon", "materials",
    "capacity_monthly", "capacity_unit", "min_order", "lead_time_days", "size_class",
    "certifications", "contact", "notes", "buyer_ids", "is_demo",
)  # fmt: skip
LIST_COLUMNS = ("materials", "certifications", "buyer_ids")
FORMATS = ("csv", "json")


def guess_format(path: Path, fmt: str | None) -> str:
    """Return csv or json from an explicit choice or the file's suffix."""
    if fmt:
        if fmt not in FORMATS:
            raise MonitorError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
        return fmt
    suffix = path.suffix.lower()
    if suffix in (".json", ".jsonl", ".ndjson"):
        return "json"
    if suffix in (".csv", ".txt", ""):
        return "csv"
    raise MonitorError(f"cannot tell the format of {path.name}: pass --format csv or json")


def read_records(stream: TextIO, fmt: str) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """Yield (location, record) per record; the record is an error string if unreadable."""
    if fmt == "csv":
        reader = csv.DictReader(stream)
        for row in reader:
            # Keys lower-cased and stripped: exports from spreadsheets vary in header case.
            clean = {(k or "").strip().lower(): v for k, v in row.items() if k is not None}
            if None in row:
                yield f"line {reader.line_num}", "more fields than the header has columns"
            else:
                yield f"line {reader.line_num}", clean
        return
    text = stream.read()
    if text.lstrip().startswith("["):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as exc:
            raise MonitorError(f"not a valid JSON array: {exc}") from exc
        for i, item in enumerate(items, start=1):
            yield f"item {i}", _obj(item)
        return
    for n, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            try:
                yield f"line {n}", _obj(json.loads(line))
            except json.JSONDecodeError as exc:
                yield f"line {n}", f"not valid JSON ({exc.msg})"


def _obj(item: Any) -> dict[str, Any] | str:
    if not isinstance(item, dict):
        return "not a JSON object"
    return {str(k).strip().lower(): v for k, v in item.items()}


def write_records(stream: TextIO, fmt: str, records: Iterator[dict[str, Any]]) -> int:
    """Write records in the project's format; return how many were written."""
    count = 0
    if fmt == "csv":
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        for rec in records:
            row = {k: rec.get(k) for k in COLUMNS}
            for k in LIST_COLUMNS:
                row[k] = "; ".join(str(v) for v in rec.get(k) or [])
            writer.writerow(row)
            count += 1
        return count
    stream.write("[")
    for rec in records:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps({k: rec.get(k) for k in COLUMNS}, ensure_ascii=False))
        count += 1
    stream.write("\n]\n")
    return count
