"""`monitor feeds catalogue list|add`: the curated catalogue of real public feeds."""

from __future__ import annotations

import typer

from monitor.cli.feeds import _session
from monitor.feeds import catalogue
from monitor.settings import get_settings

GROUP = typer.Option(None, "--group", "-g", help="one group (maritime, hazards, trade…)")


def create() -> typer.Typer:
    """Build the `feeds catalogue` command group."""
    group = typer.Typer(
        help="The curated catalogue of real public feeds (docs/catalogue.md).",
        no_args_is_help=True,
    )
    group.command("list")(list_)
    group.command("add")(add)
    return group


def _cadence(seconds: int) -> str:
    return f"{seconds // 3600}h" if seconds % 3600 == 0 else f"{seconds // 60}min"


def list_(group: str | None = GROUP) -> None:
    """List the catalogue's feeds by group, with kind, expected cadence and licence."""
    chosen = catalogue.select_entries(group=group, everything=group is None)
    current = None
    for entry in chosen:
        if entry.group != current:
            current = entry.group
            typer.echo(f"{current}:")
        checked = "checked" if entry.checked else "not checked from here"
        typer.echo(f"  {entry.name} [{entry.kind}, every {_cadence(entry.cadence_s)}, {checked}]")
        typer.echo(f"    {entry.url}")
        typer.echo(f"    topics: {', '.join(entry.topics)}; regions: {', '.join(entry.regions)}")
        typer.echo(f"    licence: {entry.licence}")
    typer.echo(f"{len(chosen)} feeds; add them with `monitor feeds catalogue add --group G|--all`")


def add(
    group: str | None = GROUP,
    everything: bool = typer.Option(False, "--all", help="every group"),
) -> None:
    """Register a group's feeds (or all of them); those already registered are left alone."""
    chosen = catalogue.select_entries(group=group, everything=everything)
    with _session() as session:
        done = catalogue.add_entries(session=session, settings=get_settings(), chosen=chosen)
    for entry in done.added:
        typer.echo(f"added {entry.name} ({entry.kind}): {entry.url}")
    typer.echo(f"{len(done.added)} added, {done.already} already registered")
