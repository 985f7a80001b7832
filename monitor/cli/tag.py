"""`monitor tag` (JSON Lines in, tagged JSON Lines out), `monitor eval FILE` and
`monitor eval --export-feedback FILE`."""

from __future__ import annotations

import logging
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import IO, Any

import typer

from monitor import strictjson
from monitor.errors import MonitorError

CHUNK = 256  # lines tagged together; output is written and flushed after each chunk
MAX_LINE = 1024 * 1024  # bytes in one item line; a longer one gets an error, not our memory

log = logging.getLogger(__name__)


@contextmanager
def _open(name: str, mode: str) -> Iterator[IO[Any]]:
    if name == "-":
        std = sys.stdin if "r" in mode else sys.stdout
        yield std.buffer if "b" in mode else std
        return
    try:
        encoding = None if "b" in mode else "utf-8"
        handle = open(name, mode, encoding=encoding)  # noqa: SIM115 - closed below
    except OSError as exc:
        raise MonitorError(f"cannot open {name}: {exc.strerror}") from exc
    with handle:
        yield handle


class _BadLine:
    def __init__(self, message: str) -> None:
        self.message = message


def read_lines(stream: IO[bytes]) -> Iterator[bytes | _BadLine]:
    """Yield each line of a byte stream, or a `_BadLine` for one longer than `MAX_LINE`."""
    while line := stream.readline(MAX_LINE + 1):
        if len(line) > MAX_LINE and not line.endswith(b"\n"):
            while (rest := stream.readline(MAX_LINE)) and not rest.endswith(b"\n"):
                pass  # skip to the end of the over-long line, never holding more than MAX_LINE
            yield _BadLine(f"line longer than {MAX_LINE:,} bytes")
        else:
            yield line


def _item(line: bytes | str | _BadLine) -> Any:
    """Return the JSON value of one line, or a `_BadLine` saying why there is none."""
    if isinstance(line, _BadLine):
        return line
    if isinstance(line, bytes):
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            return _BadLine(f"not UTF-8 text ({exc.reason} at byte {exc.start})")
    try:
        return strictjson.loads(line.lstrip("\ufeff"))
    except strictjson.JsonError as exc:
        return _BadLine(f"invalid JSON: {exc}")


def tag_lines(
    lines: Iterable[bytes | str | _BadLine], *, all_places: bool = False
) -> Iterator[dict[str, Any]]:
    """Tag JSON Lines: one result per non-blank line, in order; bad lines get an error."""
    from monitor.tagger.tag import error_record

    stream = (line for line in lines if isinstance(line, _BadLine) or line.strip())
    while chunk := list(islice(stream, CHUNK)):
        parsed = [_item(line) for line in chunk]
        good = iter(_tag_safely([p for p in parsed if not isinstance(p, _BadLine)], all_places))
        for p in parsed:
            yield error_record(None, p.message) if isinstance(p, _BadLine) else next(good)


def _tag_safely(items: list[Any], all_places: bool) -> list[dict[str, Any]]:
    """Tag a chunk; if the tagger fails on the chunk, tag one by one so one item costs itself."""
    from monitor.tagger.tag import error_record, tag_items

    try:
        return list(tag_items(items, all_places=all_places))
    except Exception:
        log.debug("tagging a chunk failed; tagging its items one by one", exc_info=True)
    results: list[dict[str, Any]] = []
    for item in items:
        try:
            results.extend(tag_items([item], all_places=all_places))
        except Exception as exc:  # an input the tagger cannot take: one error line, not a crash
            results.append(error_record(item, f"tagging failed: {type(exc).__name__}"))
    return results


def _line(result: dict[str, Any]) -> str:
    try:
        return strictjson.dumps(result)
    except (ValueError, TypeError, RecursionError) as exc:
        return strictjson.dumps({"id": None, "error": f"result cannot be written as JSON: {exc}"})


def tag(
    input: str = typer.Option("-", "--input", "-i", help="JSON Lines of items; - for stdin."),
    output: str = typer.Option("-", "--output", "-o", help="Where to write; - for stdout."),
    all_places: bool = typer.Option(
        False, "--all-places", help="Extract places and materials from non-disruptions too."
    ),
) -> None:
    """Tag items (JSON Lines) with the disruption each reports, one output line per item."""
    with _open(input, "rb") as src, _open(output, "w") as dst:
        for n, result in enumerate(tag_lines(read_lines(src), all_places=all_places), 1):
            dst.write(_line(result) + "\n")
            if n % CHUNK == 0:  # a downstream reader of a pipe sees each chunk as it is done
                dst.flush()


def evaluate(
    file: Path | None = typer.Argument(
        None, help="Labelled JSON Lines (items with a `gold` object)."
    ),
    errors: bool | None = typer.Option(
        None,
        "--errors/--no-errors",
        help="List every error (default: yes, but never for a frozen split).",
    ),
    only: str = typer.Option(
        "all", "--only", help="Score only 'real' items (source not 'written'), 'written', or 'all'."
    ),
    export_feedback: str | None = typer.Option(
        None,
        "--export-feedback",
        metavar="FILE",
        help="Instead of scoring, write buyers' false alarms and missed events as unlabelled "
        "dev-set candidates (JSON Lines; - for stdout).",
    ),
    with_notes: bool = typer.Option(
        False, "--with-notes", help="With --export-feedback: include buyers' notes (private)."
    ),
) -> None:
    """Score the tagger on a labelled set: alerts first, each measure with its 95% interval."""
    if export_feedback is not None:
        if file is not None:
            raise MonitorError("give a labelled FILE to score or --export-feedback, not both")
        _export_feedback(export_feedback, with_notes=with_notes)
        return
    if file is None:
        raise MonitorError("give a labelled FILE to score (e.g. tests/data/prose/dev.jsonl)")
    from monitor.tagger.evaluate import evaluate_groups, format_groups, format_report, read_labelled

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
    show_errors = not meta.get("frozen") if errors is None else errors
    evaluation = evaluate_groups(rows, split=split)
    typer.echo(format_report(evaluation.report, errors=show_errors))
    if evaluation.groups:
        typer.echo("per style and per publisher (5+ items):")
        typer.echo(format_groups(evaluation))
    if meta.get("frozen") and not show_errors:
        typer.echo("errors: not listed for a frozen split (--errors to list them)")


def _export_feedback(output: str, *, with_notes: bool) -> None:
    from monitor import db
    from monitor.feedback.export import candidates
    from monitor.settings import get_settings

    settings = get_settings()
    db.require_schema(settings)
    written: Counter[str] = Counter()
    with db.session_scope(settings) as session, _open(output, "w") as dst:
        for row in candidates(session=session, with_notes=with_notes):
            dst.write(strictjson.dumps(row) + "\n")
            written[row["hint"]["kind"]] += 1
    print(
        f"wrote {written['false_alarm']} false-alarm item(s) and {written['missed']} missed "
        f"event(s) to {output}" + (" with buyers' notes" if with_notes else ""),
        file=sys.stderr,
    )
