"""`monitor replay`: send a time window of `items` through tagging and clustering again."""

from __future__ import annotations

import typer

from monitor.errors import InvalidInput
from monitor.replay.service import Replayed, replay_items
from monitor.replay.window import Window, parse_window
from monitor.settings import get_settings

TIME_HELP = "ISO 8601 (2026-03-01T00:00Z; no zone means UTC) or back from now: 24h, 7d, 2w"


def replay(
    since: str = typer.Option(..., "--since", help=f"from: {TIME_HELP}"),
    until: str | None = typer.Option(None, "--until", help=f"up to (default now): {TIME_HELP}"),
) -> None:
    """Re-send the items Kafka got in [since, until) so a running worker tags them again."""
    try:
        window = parse_window(since, until)
    except InvalidInput as exc:
        raise typer.BadParameter(str(exc), param_hint=f"--{exc.field}") from None
    done = replay_items(
        settings=get_settings(), window=window, report=lambda line: typer.echo(line, err=True)
    )
    typer.echo(summary(done, window))


def summary(done: Replayed, window: Window) -> str:
    """Return the replay's outcome in one line."""
    until = f"{window.until:%Y-%m-%d %H:%M:%S} UTC" if window.until else "now"
    counts = ((done.repeats, "repeated id(s)"), (done.unreadable, "unreadable value(s)"))
    skips = [f"{n} {what}" for n, what in counts if n]
    skipped = f"; skipped {', '.join(skips)}" if skips else ""
    return (
        f"re-sent {done.sent} item(s) of {sum(done.read.values())} read from "
        f"{window.since:%Y-%m-%d %H:%M:%S} UTC to {until} onto {done.plan.topic}{skipped}; "
        "a running worker tags them again"
    )
