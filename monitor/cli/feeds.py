"""`monitor feeds …`: the command group; its commands live in feeds_*.py modules."""

from __future__ import annotations

import typer

from monitor.cli import app

feeds_app = typer.Typer(
    help="Add, inspect and check feeds; parse local feed files.", no_args_is_help=True
)
app.add_typer(feeds_app, name="feeds")
