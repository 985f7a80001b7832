"""`monitor destinations add|list|remove`: a buyer's Slack and Teams destinations."""

from __future__ import annotations

import typer

from monitor import db
from monitor.buyers import destinations
from monitor.buyers import service as buyers
from monitor.buyers.models import DestinationCreate
from monitor.errors import validated
from monitor.settings import get_settings


def create() -> typer.Typer:
    """Build the `destinations` command group."""
    group = typer.Typer(
        help="A buyer's Slack and Teams destinations (URLs are secrets, listed masked).",
        no_args_is_help=True,
    )
    group.command("add")(add)
    group.command("list")(list_all)
    group.command("remove")(remove)
    return group


def add(
    buyer: int = typer.Argument(..., help="the buyer's id"),
    kind: str = typer.Argument(..., help="slack (incoming webhook) or teams (Workflows webhook)"),
    url: str = typer.Option(
        ...,
        "--url",
        prompt="Webhook URL",
        hide_input=True,
        help="asked for when left out, so it stays out of the shell history",
    ),
) -> None:
    """Alert a buyer in Slack or Teams too."""
    data = validated(DestinationCreate, kind=kind, url=url)
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        buyers.get_buyer(session=session, buyer_id=buyer)
        row = destinations.add_destination(session=session, buyer_id=buyer, data=data)
    typer.echo(f"added {row.kind} destination {row.id} ({row.url_hint}) for buyer {buyer}")


def list_all(buyer: int = typer.Argument(..., help="the buyer's id")) -> None:
    """List a buyer's destinations, one a line: id, kind, masked URL."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        buyers.get_buyer(session=session, buyer_id=buyer)
        rows = destinations.list_destinations(session=session, buyer_id=buyer)
    for row in rows:
        typer.echo(f"{row.id}\t{row.kind}\t{row.url_hint}")


def remove(
    buyer: int = typer.Argument(..., help="the buyer's id"),
    destination: int = typer.Argument(..., help="the destination's id (see `list`)"),
) -> None:
    """Stop alerting a buyer at one destination."""
    settings = get_settings()
    db.require_schema(settings)
    with db.session_scope(settings) as session:
        destinations.delete_destination(session=session, buyer_id=buyer, destination_id=destination)
    typer.echo(f"removed destination {destination} of buyer {buyer}")
