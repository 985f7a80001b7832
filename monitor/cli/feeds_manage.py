"""`monitor feeds add|list|show|remove|check`: look after the feeds the connectors poll."""

from __future__ import annotations

import json
import logging
from contextlib import AbstractContextManager
from datetime import datetime

import typer
from sqlmodel import Session

from connectors.redact import redact_url
from monitor import db
from monitor.cli.feeds import feeds_app
from monitor.errors import validated
from monitor.feeds import service as feeds
from monitor.models import FeedCreate
from monitor.settings import get_settings


def _session() -> AbstractContextManager[Session]:
    settings = get_settings()
    db.require_schema(settings)  # an unmigrated database: one line naming `monitor db upgrade`
    return db.session_scope(settings)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "never"


@feeds_app.command("add")
def add(
    url: str = typer.Argument(..., help="the feed's http(s) URL"),
    kind: str | None = typer.Option(
        None, help="rss, gdacs, usgs, cap, nws, json… (default: detect)"
    ),
    name: str = typer.Option("", help="a name for people"),
    interval: int = typer.Option(600, help="seconds between polls (30 or more)"),
) -> None:
    """Add a feed to poll."""
    data = validated(FeedCreate, url=url, kind=kind, name=name, interval_s=interval)
    with _session() as session:
        feed = feeds.add_feed(session=session, data=data)
    shown = redact_url(feed.url)
    typer.echo(f"added feed {feed.id}: {shown} (kind {feed.kind or 'auto'}, every {interval}s)")


@feeds_app.command("list")
def list_() -> None:
    """List the feeds with their state."""
    with _session() as session:
        rows = feeds.list_feeds(session=session)
    if not rows:
        typer.echo("no feeds yet: add one with `monitor feeds add URL`")
        return
    typer.echo(f"{'id':>5}  {'state':8}  {'kind':8}  {'items':>7}  url")
    for feed in rows:
        kind = feed.kind or "auto"
        typer.echo(
            f"{feed.id:>5}  {feeds.state(feed):8}  {kind:8}  {feed.items_produced:>7}  "
            + redact_url(feed.url)
        )


@feeds_app.command("show")
def show(feed_id: int = typer.Argument(..., help="the feed's id")) -> None:
    """Show one feed's health record."""
    with _session() as session:
        feed = feeds.get_feed(session=session, feed_id=feed_id)
    lines = [
        ("feed", f"{feed.id} {feed.name}".strip()),
        ("url", redact_url(feed.url)),
        ("kind", feed.kind or "auto (detected on first fetch)"),
        (
            "state",
            feeds.state(feed) + (f": {feed.disabled_reason}" if feed.disabled_reason else ""),
        ),
        ("interval", f"{feed.interval_s}s"),
        ("last fetch", _when(feed.last_fetch_at)),
        ("last success", _when(feed.last_success_at)),
        ("status code", str(feed.last_status) if feed.last_status else "none"),
        ("failures in a row", str(feed.consecutive_failures)),
        ("last error", feed.last_error or "none"),
        ("items produced", str(feed.items_produced)),
        ("next poll", _when(feed.next_poll_at) if feed.enabled else "not scheduled"),
    ]
    for label, value in lines:
        typer.echo(f"{label + ':':19} {value}")


@feeds_app.command("remove")
def remove(feed_id: int = typer.Argument(..., help="the feed's id")) -> None:
    """Remove a feed (and its record of items already produced)."""
    with _session() as session:
        feed = feeds.remove_feed(session=session, feed_id=feed_id)
    typer.echo(f"removed feed {feed_id}: {redact_url(feed.url)}")


@feeds_app.command("check")
def check(
    url: str = typer.Argument(..., help="the URL to fetch once"),
    kind: str | None = typer.Option(None, help="parse as this kind (default: detect)"),
) -> None:
    """Fetch a URL once and show what would be produced; change nothing."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # the report says what was fetched
    settings = get_settings()
    with _session() as session:
        report = feeds.check_feed(session=session, settings=settings, url=url, kind=kind)
    typer.echo(f"status: {report.status if report.status is not None else 'no response'}")
    if report.moved_to:
        typer.echo(f"moved permanently to: {redact_url(report.moved_to)}")
    if report.error:
        typer.echo(f"error: {report.error}")
        raise typer.Exit(1)
    new = set(report.new_ids)
    typer.echo(f"kind: {report.kind}; {len(report.items)} items, {len(new)} would be produced")
    for item in report.items:
        mark = "new " if item.id in new else "seen"
        typer.echo(f"{mark} {json.dumps({'id': item.id, 'title': item.title}, ensure_ascii=False)}")
