"""`monitor suppliers import|export|demo` and `monitor suggest`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer

from monitor import db
from monitor.cli import app
from monitor.settings import get_settings
from monitor.suggestions import Need, SuggestionResult, suggest
from monitor.suggestions.areas import areas_from_query
from monitor.suppliers import demo
from monitor.suppliers.exporter import export_stream
from monitor.suppliers.formats import guess_format
from monitor.suppliers.importer import import_file

suppliers_app = typer.Typer(
    help="The supplier directory: import, export, load the demo directory.", no_args_is_help=True
)
app.add_typer(suppliers_app, name="suppliers")


@suppliers_app.command("import")
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


@suppliers_app.command("export")
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


@suppliers_app.command("demo")
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


@app.command("suggest")
def suggest_cmd(
    material: str = typer.Option(..., "--material", help="name, synonym or HS heading"),
    exclude_country: list[str] = typer.Option([], "--exclude-country", help="ISO alpha-2"),
    exclude_subdivision: list[str] = typer.Option([], "--exclude-subdivision", help="ISO 3166-2"),
    near: str | None = typer.Option(None, "--near", help="LAT,LON of a point event"),
    radius_km: float | None = typer.Option(None, "--radius-km", help="safety radius"),
    buyer: int | None = typer.Option(None, "--buyer", help="buyer id"),
    quantity: float | None = typer.Option(None, "--quantity", help="monthly volume needed"),
    max_lead_days: int | None = typer.Option(None, "--max-lead-days"),
    cert: list[str] = typer.Option([], "--cert", help="requested certification"),
    limit: int = typer.Option(10, "--limit", min=1),
    as_json: bool = typer.Option(False, "--json", help="print the result as JSON"),
) -> None:
    """Suggest alternative small suppliers outside the affected places."""
    areas = areas_from_query(
        countries=exclude_country, subdivisions=exclude_subdivision, near=near, radius_km=radius_km
    )
    settings = get_settings()
    db.require_schema(settings)
    need = Need(quantity=quantity, max_lead_days=max_lead_days, certifications=cert)
    with db.session_scope(settings) as session:
        result = suggest(material, areas, buyer, limit, session=session, need=need)
    if as_json:
        typer.echo(json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    else:
        typer.echo(_text(result))


def _text(result: SuggestionResult) -> str:
    lines = [result.message]
    rows = result.suggestions or result.partial_matches
    for rank, s in enumerate(rows, start=1):
        sup = s.supplier
        place = ", ".join(x for x in (sup.city, sup.country) if x)
        demo_mark = " [demo]" if sup.is_demo else ""
        lines.append(
            f"{rank:>2}. {s.score:.3f}  {sup.name} ({place}) #{sup.supplier_id}{demo_mark}"
        )
        parts = "  ".join(f"{k}={v:g}" for k, v in s.parts.items())
        lines.append(f"      parts: {parts}")
        lines.append(f"      why: {'; '.join(s.reasons)}")
        if s.shortfalls:
            lines.append(f"      lacks: {'; '.join(s.shortfalls)}")
    return "\n".join(lines)
