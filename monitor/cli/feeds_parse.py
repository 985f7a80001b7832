"""`monitor feeds parse FILE`: print a local feed file's normalised items as JSON Lines."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from connectors import registry
from connectors.base import ParseError
from connectors.xmlsafe import MAX_BYTES
from monitor.cli.feeds import feeds_app


def _fail(path: Path, reason: str) -> None:
    # One line, whatever the parser said: operators grep these and scripts split on newlines.
    print(f"error: {path}: {' '.join(reason.split())}", file=sys.stderr)
    raise typer.Exit(1)


def _read(path: Path) -> bytes:
    try:
        if path.stat().st_size > MAX_BYTES:
            _fail(path, f"file larger than the {MAX_BYTES:,}-byte limit")
        return path.read_bytes()
    except IsADirectoryError:
        _fail(path, "is a directory, not a feed file")
    except OSError as exc:
        _fail(path, exc.strerror or str(exc))
    raise AssertionError("unreachable")  # _fail always exits


@feeds_app.command("parse")
def parse_file(
    file: Path = typer.Argument(..., help="a feed file: RSS/Atom, GDACS, CAP, GeoJSON, JSON Feed"),
    kind: str | None = typer.Option(
        None, "--kind", "-k", help=f"feed kind ({', '.join(registry.KINDS)}); detected if omitted"
    ),
) -> None:
    """Print the file's normalised items as JSON Lines, or one error line and exit 1."""
    body = _read(file)
    try:
        items = registry.parse(body, kind=kind, url=file.resolve().as_uri())
    except ParseError as exc:
        _fail(file, str(exc))
    for item in items:
        sys.stdout.write(json.dumps(item.to_dict(), ensure_ascii=False) + "\n")
