"""`monitor feeds parse FILE`: print a local feed file's normalised items as JSON Lines."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import typer

from connectors import registry
from connectors.base import ParseError
from connectors.xmlsafe import MAX_BYTES
from monitor.cli.feeds import feeds_app
from monitor.strictjson import dumps


def _fail(path: Path, reason: str) -> NoReturn:
    # One line, whatever the parser said: operators grep these and scripts split on newlines.
    print(f"error: {path}: {' '.join(reason.split())}", file=sys.stderr)
    raise typer.Exit(1)


def _read(path: Path) -> bytes:
    # The cap is on what is read, not on what stat says: a device or a pipe reports size 0
    # and may never end.
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        _fail(path, "is a directory, not a feed file")
    except OSError as exc:
        _fail(path, exc.strerror or str(exc))
    if len(body) > MAX_BYTES:
        _fail(path, f"file larger than the {MAX_BYTES:,}-byte limit")
    return body


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
        sys.stdout.write(dumps(item.to_dict()) + "\n")
    note = items.note()
    if note:
        print(f"note: {file}: {note}", file=sys.stderr)
