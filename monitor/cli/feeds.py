"""`monitor feeds add|list|show|remove|check|reset-errors|parse|import|export`: the feeds the
connectors poll, local feed files, and feed lists in OPML."""

from __future__ import annotations

import json
import logging
import sys
from contextlib import AbstractContextManager
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer
from sqlmodel import Session

from connectors import registry
from connectors.base import ParseError
from connectors.redact import redact_url
from connectors.xmlsafe import MAX_BYTES
from monitor import db
from monitor.errors import validated
from monitor.feeds import service as feeds
from monitor.feeds import transfer
from monitor.models import FeedCreate
from monitor.settings import get_settings
from monitor.strictjson import dumps


def create() -> typer.Typer:
    """Build the `feeds` command group."""
    group = typer.Typer(
        help="Add, inspect and check feeds; parse local feed files.", no_args_is_help=True
    )
    for name, command in (
        ("add", add),
        ("list", list_),
        ("show", show),
        ("remove", remove),
        ("check", check),
        ("reset-errors", reset_errors),
        ("parse", parse_file),
        ("import", import_opml),
        ("export", export_opml),
    ):
        group.command(name)(command)
    from monitor.cli import catalogue  # it builds on this module's session helper

    group.add_typer(catalogue.create(), name="catalogue")
    return group


def _session() -> AbstractContextManager[Session]:
    settings = get_settings()
    db.require_schema(settings)  # an unmigrated database: one line naming `monitor db upgrade`
    return db.session_scope(settings)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC") if moment else "never"


def _pace(seconds: float | None) -> str:
    return "not known yet" if seconds is None else f"~{seconds:.0f}s (adaptive polling follows it)"


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


def list_() -> None:
    """List the feeds with their state."""
    with _session() as session:
        rows = feeds.list_feeds(session=session)
    if not rows:
        typer.echo("no feeds yet: add one with `monitor feeds add URL`")
        return
    typer.echo(f"{'id':>5}  {'state':8}  {'kind':8}  {'items':>7}  url [tags]")
    for feed in rows:
        kind = feed.kind or "auto"
        tags = f"  [{', '.join(feed.tags)}]" if feed.tags else ""
        why = f"  ({feed.disabled_reason})" if feed.disabled_reason else ""
        typer.echo(
            f"{feed.id:>5}  {feeds.state(feed):8}  {kind:8}  {feed.items_produced:>7}  "
            + redact_url(feed.url)
            + tags
            + why
        )


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
        ("publishes every", _pace(feed.publish_interval_s)),
        ("last fetch", _when(feed.last_fetch_at)),
        ("last success", _when(feed.last_success_at)),
        ("status code", str(feed.last_status) if feed.last_status else "none"),
        ("failures in a row", str(feed.consecutive_failures)),
        ("last error", feed.last_error or "none"),
        ("tags", ", ".join(feed.tags) or "none"),
        ("items produced", str(feed.items_produced)),
        ("next poll", _when(feed.next_poll_at) if feed.enabled else "not scheduled"),
    ]
    for label, value in lines:
        typer.echo(f"{label + ':':19} {value}")


def remove(feed_id: int = typer.Argument(..., help="the feed's id")) -> None:
    """Remove a feed (and its record of items already produced)."""
    with _session() as session:
        feed = feeds.remove_feed(session=session, feed_id=feed_id)
    typer.echo(f"removed feed {feed_id}: {redact_url(feed.url)}")


def reset_errors(
    feed_id: int | None = typer.Argument(None, help="the feed's id"),
    all_: bool = typer.Option(False, "--all", help="every feed with errors"),
) -> None:
    """Clear a feed's error count and resume it if errors paused it (or every feed: --all)."""
    if (feed_id is None) == (not all_):
        typer.echo("error: give a feed id or --all, not both", err=True)
        raise typer.Exit(2)
    with _session() as session:
        rows = feeds.reset_errors(session=session, feed_id=feed_id)
        shown = [(feed.id, feeds.state(feed), redact_url(feed.url)) for feed in rows]
    for fid, state, url in shown:
        typer.echo(f"reset feed {fid}: {url} (now {state})")
    if all_:
        typer.echo(f"{len(shown)} feed(s) reset")


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


def _fail(path: Path, reason: str) -> NoReturn:
    # One line, whatever the parser said: operators grep these and scripts split on newlines.
    print(f"error: {path}: {' '.join(reason.split())}", file=sys.stderr)
    raise typer.Exit(1)


def _read(path: Path) -> bytes:
    # The cap is on what is read, not on what stat says: a device or a pipe reports size 0
    # and may never end.
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except IsADirectoryError:
        _fail(path, "is a directory, not a feed file")
    except OSError as exc:
        _fail(path, exc.strerror or str(exc))
    if len(body) > MAX_BYTES:
        _fail(path, f"file larger than the {MAX_BYTES:,}-byte limit")
    return body


def parse_file(
    file: Path = typer.Argument(..., help="a feed file: RSS/Atom, GDACS, CAP, GeoJSON, JSON Feed"),
    kind: str | None = typer.Option(
        None, "--kind", "-k", help=f"feed kind ({', '.join(registry.KINDS)}); detected if omitted"
    ),
) -> None:
    """Print the file's normalised items as JSON Lines, or one error line and exit 1."""
    body = _read(file)
    try:
        items = registry.parse(body, kind=kind, url=file.resolve().as_uri())
    except ParseError as exc:
        _fail(file, str(exc))
    for item in items:
        sys.stdout.write(dumps(item.to_dict()) + "\n")
    note = items.note()
    if note:
        print(f"note: {file}: {note}", file=sys.stderr)


class ListFormat(StrEnum):
    """Feed list formats `monitor feeds export` writes."""

    opml = "opml"


def import_opml(
    file: Path = typer.Argument(..., help="an OPML file exported by a feed reader"),
) -> None:
    """Add the feeds of an OPML file; folders and categories become tags, duplicates are skipped."""
    body = _read(file)
    with _session() as session:
        done = transfer.import_opml(session=session, settings=get_settings(), body=body)
    typer.echo(
        f"{file}: {done.outlines} feeds listed, {done.added} added, "
        f"{done.duplicates} duplicates skipped"
    )


def export_opml(
    file: Path | None = typer.Argument(None, help="where to write (default: standard output)"),
    format: ListFormat = typer.Option(ListFormat.opml, "--format", help="opml"),
) -> None:
    """Write every feed, with its tags as folders and categories, as OPML 2.0."""
    with _session() as session:
        body = transfer.export_opml(session=session)
        count = feeds.count_feeds(session=session)
    if file is None:
        sys.stdout.buffer.write(body)
        return
    try:
        file.write_bytes(body)
    except OSError as exc:
        _fail(file, exc.strerror or str(exc))
    typer.echo(f"wrote {count} feeds to {file}")
