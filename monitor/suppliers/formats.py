"""Read and write supplier files: CSV, a JSON array or JSON Lines, with record locations."""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO, TextIO

from monitor import strictjson
from monitor.errors import MonitorError

# The project's own column order, as `monitor suppliers export` writes it.
COLUMNS = (
    "external_id", "name", "country", "subdivision", "city", "lat", "lon", "materials",
    "capacity_monthly", "capacity_unit", "min_order", "lead_time_days", "size_class",
    "certifications", "contact", "notes", "buyer_ids", "is_demo",
)  # fmt: skip
LIST_COLUMNS = ("materials", "certifications", "buyer_ids")
FORMATS = ("csv", "json")
MAX_FILE_BYTES = 64 * 1024 * 1024  # read at most this much of a supplier file (a device never ends)
# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOMS = (  # UTF-32 first: its little-endian mark starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


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


def read_text(stream: BinaryIO) -> tuple[str, str | None]:
    """Return a file's text and, when it was not UTF-8, a note naming the encoding assumed.

    A byte-order mark decides (UTF-8/16/32); then UTF-8; then UTF-16 without a mark (a NUL in
    every other byte); else Windows-1252, which spreadsheets on Windows write and which reads
    Latin-1 text the same way.
    """
    data = stream.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise MonitorError(f"file larger than the {MAX_FILE_BYTES:,}-byte limit")
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode(data, codec), None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    head = data[:4096]
    for codec, nuls in (("utf-16-le", head[1::2]), ("utf-16-be", head[0::2])):
        if len(head) >= 2 and nuls.count(0) > len(nuls) * 0.9:
            return _decode(data, codec), f"file read as {codec.upper()} (no byte-order mark)"
    text = data.decode("cp1252", errors="replace")
    return text, "file is not UTF-8: read as Windows-1252/Latin-1; check accented names"


def _decode(data: bytes, codec: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        reason = f"{exc.reason} at byte {exc.start}"
        raise MonitorError(f"not valid {codec.upper()} text: {reason}") from None


def read_records(stream: TextIO, fmt: str) -> Iterator[tuple[str, dict[str, Any] | str]]:
    """Yield (location, record) per record; the record is an error string if unreadable."""
    if fmt == "csv":
        yield from _csv_records(stream)
        return
    text = stream.read()
    if text.lstrip().startswith("["):
        try:
            items = strictjson.loads(text, max_depth=strictjson.MAX_DEPTH)
        except strictjson.JsonError as exc:
            raise MonitorError(f"not a valid JSON array: {exc}") from None
        for i, item in enumerate(items, start=1):
            yield f"item {i}", _obj(item)
        return
    for n, line in enumerate(io.StringIO(text), start=1):
        if line.strip():
            try:
                yield f"line {n}", _obj(strictjson.loads(line))
            except strictjson.JsonError as exc:
                yield f"line {n}", f"not valid JSON ({exc})"


def _csv_records(stream: TextIO) -> Iterator[tuple[str, dict[str, Any] | str]]:
    reader = csv.DictReader(stream)
    while True:
        where = f"line {reader.line_num + 1}"
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # a field over the csv module's limit, a NUL, a stray quote
            # The reader goes on with the next line; the bad one is reported, not fatal.
            yield where, f"unreadable CSV: {exc}"
            continue
        where = f"line {reader.line_num}"
        if None in row:
            yield where, "more fields than the header has columns"
            continue
        # Keys lower-cased and stripped: exports from spreadsheets vary in header case.
        yield where, {(k or "").strip().lower(): unescape_cell(v) for k, v in row.items()}


def escape_cell(value: Any) -> Any:
    """Return a CSV cell a spreadsheet shows as text: a formula start gets a leading `'`.

    A cell that starts with quotes before a formula start gets one more, so `unescape_cell`
    gives back exactly what was stored.
    """
    if isinstance(value, str) and value.lstrip("'").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """Undo `escape_cell`, so a file this project exported imports as it was stored."""
    if (
        isinstance(value, str)
        and value.startswith("'")
        and value.lstrip("'").startswith(FORMULA_STARTS)
    ):
        return value[1:]
    return value


def _finite(value: Any) -> Any:
    # Rows stored before non-finite numbers were refused are written as empty, never `Infinity`.
    return None if isinstance(value, float) and not math.isfinite(value) else value


def _obj(item: Any) -> dict[str, Any] | str:
    if not isinstance(item, dict):
        return "not a JSON object"
    return {str(k).strip().lower(): v for k, v in item.items()}


def write_records(stream: TextIO, fmt: str, records: Iterator[dict[str, Any]]) -> int:
    """Write records in the project's format; return how many were written."""
    count = 0
    if fmt == "csv":
        # RFC 4180 line ends: with "\n" alone, csv leaves a field holding "\r" unquoted.
        writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\r\n")
        writer.writeheader()
        for rec in records:
            row = {k: _finite(rec.get(k)) for k in COLUMNS}
            for k in LIST_COLUMNS:
                row[k] = "; ".join(str(v) for v in rec.get(k) or [])
            writer.writerow({k: escape_cell(v) for k, v in row.items()})
            count += 1
        return count
    stream.write("[")
    for rec in records:
        stream.write(",\n" if count else "\n")
        row = {k: _finite(rec.get(k)) for k in COLUMNS}
        stream.write(json.dumps(row, ensure_ascii=False, allow_nan=False))
        count += 1
    stream.write("\n]\n")
    return count
