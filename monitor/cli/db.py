"""`monitor db upgrade`: migrate the database."""

from __future__ import annotations

import typer

from monitor import db
from monitor.settings import get_settings


def create() -> typer.Typer:
    """Build the `db` command group."""
    group = typer.Typer(help="Database migrations.", no_args_is_help=True)
    group.command("upgrade")(upgrade)
    return group


def upgrade(revision: str = typer.Argument("head", help="target revision")) -> None:
    """Migrate the database to the latest schema (or to REVISION)."""
    settings = get_settings()
    db.upgrade(settings, revision)
    typer.echo(f"database at {revision}: {db.get_engine(settings).url.render_as_string()}")
