"""`monitor suppliers import|export|demo`: the supplier directory."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from monitor import db
from monitor.settings import get_settings
from monitor.suppliers import demo
from monitor.suppliers.exporter import export_stream
from monitor.suppliers.formats import guess_format
from monitor.suppliers.importer import import_file


def create() -> typer.Typer:
    """Build the `suppliers` command group."""
    group = typer.Typer(
        help="The supplier directory: import, export, load the demo directory.",
        no_args_is_help=True,
    )
    group.command("import")(import_)
    group.command("export")(export)
    group.command("demo")(load_demo)
    return group


def import_(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV or JSON file"),
    dry_run: bool = typer.Option(False, "--dry-run", help="validate and report, write nothing"),
    fmt: str | None = typer.Option(None, "--format", help="csv or json (default: from suffix)"),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="one note line per row"),
) -> None:
    """Import suppliers (project or Open Supply Hub columns); exit 2 if any row was rejected."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        report = import_file(session=session, path=file, fmt=fmt, dry_run=dry_run)
    for problem in report.errors:
        typer.echo(f"rejected {problem}", err=True)
    if verbose:
        for problem in report.warnings:
            typer.echo(f"note {problem}", err=True)
    else:
        for line in report.warning_summary():
            typer.echo(f"note {line}", err=True)
    typer.echo(report.summary())
    if report.errors:
        raise typer.Exit(2)


def export(
    file: str = typer.Argument(..., help="output file, or - for standard output"),
    fmt: str | None = typer.Option(None, "--format", help="csv or json (default: from suffix)"),
) -> None:
    """Export the directory in the project's format (re-importable as is)."""
    settings = get_settings()
    db.require_schema(settings)
    kind = guess_format(Path(file), fmt) if file != "-" else (fmt or "csv")
    with db.session_scope(settings) as session:
        if file == "-":
            count = export_stream(session=session, stream=sys.stdout, fmt=kind)
        else:
            with open(file, "w", encoding="utf-8", newline="") as out:
                count = export_stream(session=session, stream=out, fmt=kind)
    typer.echo(f"exported {count} suppliers", err=True)


def load_demo(
    count: int = typer.Option(400, "--count", min=1, help="how many demo suppliers"),
    seed: int = typer.Option(7, "--seed", help="the same seed gives the same directory"),
) -> None:
    """Load the generated demo directory (marked is_demo; notes say it is not real)."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        new, updated = demo.load(session=session, count=count, seed=seed)
    typer.echo(f"demo directory loaded: {new} new, {updated} updated (seed {seed})")
