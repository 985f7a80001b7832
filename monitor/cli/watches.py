"""`monitor watches backtest`: what a buyer's watch would have caught, sending nothing."""

from __future__ import annotations

import typer

from monitor import db
from monitor.matching.backtest import Backtest, backtest_watch, parse_since
from monitor.settings import get_settings


def create() -> typer.Typer:
    """Build the `watches` command group."""
    group = typer.Typer(help="Buyers' watches: backtest one on stored incidents.",
                        no_args_is_help=True)  # fmt: skip
    group.command("backtest")(backtest)
    return group


def backtest(
    watch: int = typer.Argument(..., help="the watch's id"),
    since: str = typer.Option("30d", "--since", help="how far back: 12h, 30d, 2w"),
) -> None:
    """List the stored incidents this watch would have alerted on, newest first; send nothing."""
    span = parse_since(since)
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        result = backtest_watch(session=session, watch_id=watch, since=span)
    for line in describe(result):
        typer.echo(line)


def describe(result: Backtest) -> list[str]:
    """Return the backtest as lines: one per would-be alert, then the count."""
    lines = []
    for alert in result.alerts:
        why = alert.why
        overlap = ", ".join([*why.get("materials", []), *why.get("places", [])]) or "-"
        lines.append(
            f"{alert.last_seen:%Y-%m-%d %H:%M}\t{alert.severity}\t{alert.incident_id}\t"
            f"{alert.title}\t{why.get('cause') or alert.event_type}\t{overlap}"
        )
    lines.append(
        f"{result.count} alert(s) from {result.scanned} incident(s) seen since "
        f"{result.since:%Y-%m-%d %H:%M} UTC (watch {result.watch_id}; nothing sent)"
    )
    return lines
