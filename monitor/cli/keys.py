"""`monitor keys create|revoke`: API keys for the REST API and the dashboard."""

from __future__ import annotations

import typer

from monitor import db
from monitor.keys import service as apikeys
from monitor.settings import get_settings


def create() -> typer.Typer:
    """Build the `keys` command group."""
    group = typer.Typer(help="API keys: create (printed once) and revoke.", no_args_is_help=True)
    group.command("create")(create_key)
    group.command("revoke")(revoke)
    return group


def create_key(
    role: str = typer.Option(..., "--role", help="admin, operator, buyer or viewer"),
    buyer: int | None = typer.Option(None, "--buyer", help="the buyer a buyer key acts for"),
    name: str = typer.Option("", "--name", help="a note on who holds the key"),
) -> None:
    """Create an API key and print it alone on stdout (it is shown only this once)."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        row, key = apikeys.create_key(session=session, role=role, buyer_id=buyer, name=name)
    typer.echo(key)
    typer.echo(f"created {role} key {row.prefix} (store it now: it is not shown again)", err=True)


def revoke(
    prefix: str = typer.Argument(..., help="the key's prefix (the part after smk_)"),
) -> None:
    """Revoke a key; requests with it are refused from now on."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        apikeys.revoke_key(session=session, prefix=prefix)
    typer.echo(f"revoked key {prefix}")
