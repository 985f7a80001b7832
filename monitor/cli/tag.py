"""`monitor tag` (JSON Lines in, tagged JSON Lines out) and `monitor eval FILE`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

import typer

from monitor.cli import app
from monitor.errors import MonitorError

CHUNK = 256  # lines tagged together; output is written and flushed after each chunk


@contextmanager
def _open(name: str, mode: str) -> Iterator[IO[str]]:
    if name == "-":
        yield sys.stdin if "r" in mode else sys.stdout
        return
    try:
        handle = open(name, mode, encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise MonitorError(f"cannot open {name}: {exc.strerror}") from exc
    with handle:
        yield handle


def tag_lines(lines: Iterable[str], *, all_places: bool = False) -> Iterator[dict[str, Any]]:
    """Tag JSON Lines: one result per non-blank line, in order; bad lines get an error."""
    from monitor.tagger.tag import error_record, tag_items

    stream = (line for line in lines if line.strip())
    while chunk := list(islice(stream, CHUNK)):
        parsed: list[Any] = []
        for line in chunk:
            try:
                parsed.append(json.loads(line))
            except json.JSONDecodeError as exc:
                parsed.append(_BadLine(f"invalid JSON: {exc.msg} at column {exc.colno}"))
        good = tag_items((p for p in parsed if not isinstance(p, _BadLine)), all_places=all_places)
        for p in parsed:
            yield error_record(None, p.message) if isinstance(p, _BadLine) else next(good)


class _BadLine:
    def __init__(self, message: str) -> None:
        self.message = message


@app.command("tag")
def tag(
    input: str = typer.Option("-", "--input", "-i", help="JSON Lines of items; - for stdin."),
    output: str = typer.Option("-", "--output", "-o", help="Where to write; - for stdout."),
    all_places: bool = typer.Option(
        False, "--all-places", help="Extract places and materials from non-disruptions too."
    ),
) -> None:
    """Tag items (JSON Lines) with the disruption each reports, one output line per item."""
    with _open(input, "r") as src, _open(output, "w") as dst:
        for n, result in enumerate(tag_lines(src, all_places=all_places), 1):
            dst.write(json.dumps(result, ensure_ascii=False) + "\n")
            if n % CHUNK == 0:  # a downstream reader of a pipe sees each chunk as it is done
                dst.flush()


@app.command("eval")
def evaluate(
    file: Path = typer.Argument(..., help="Labelled JSON Lines (items with a `gold` object)."),
    errors: bool = typer.Option(True, "--errors/--no-errors", help="List every error."),
    only: str = typer.Option(
        "all", "--only", help="Score only 'real' items (source not 'written'), 'written', or 'all'."
    ),
) -> None:
    """Score the tagger on a labelled set: each measure with its 95% interval, and the errors."""
    from monitor.tagger.evaluate import evaluate as run
    from monitor.tagger.evaluate import format_report, read_labelled

    if only not in ("all", "real", "written"):
        raise MonitorError(f"--only must be all, real or written, not {only!r}")
    meta: dict[str, Any] = {}
    rows = list(read_labelled(file, meta))
    if only != "all":
        rows = [r for r in rows if (r.get("source") == "written") == (only == "written")]
    split = str(meta.get("split") or file.stem)
    if meta.get("frozen"):
        split += " (frozen: never tuned on)"
    if only != "all":
        split += f", {only} items only"
    typer.echo(format_report(run(rows, split=split), errors=errors))
