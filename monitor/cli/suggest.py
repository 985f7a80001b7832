"""`monitor suggest`: alternative small suppliers outside the affected places."""

from __future__ import annotations

import json
import math

import typer

from monitor import db
from monitor.errors import MonitorError
from monitor.settings import get_settings
from monitor.suggestions import Need, SuggestionResult, suggest
from monitor.suggestions.areas import areas_from_query


def _finite(option: str, value: float | None) -> float | None:
    if value is not None and not math.isfinite(value):
        raise MonitorError(f"{option} {value} is not a finite number")
    return value


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
    need = Need(
        quantity=_finite("--quantity", quantity), max_lead_days=max_lead_days, certifications=cert
    )
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
