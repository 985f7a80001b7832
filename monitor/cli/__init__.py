"""The `monitor` command line: `create_cli()` builds the command tree, one module per group."""

from __future__ import annotations

import logging
import sys

import typer

from monitor.cli import (
    connectors,
    db,
    destinations,
    feeds,
    kafka,
    keys,
    replay,
    run,
    suggest,
    suppliers,
    tag,
    watches,
)
from monitor.errors import MonitorError

HELP = "Sourcing disruption monitor: feeds → Kafka → tagging → alerts and alternative suppliers."


def create_cli() -> typer.Typer:
    """Build the `monitor` app; the order here is the order of `monitor --help`."""
    app = typer.Typer(
        help=HELP, no_args_is_help=True, pretty_exceptions_enable=False, add_completion=False
    )
    for name, command in (
        ("worker", run.worker),
        ("api", run.api),
        ("run", run.run),
        ("stop", run.stop),
        ("suggest", suggest.suggest_cmd),
        ("tag", tag.tag),
        ("eval", tag.evaluate),
        ("replay", replay.replay),
    ):
        app.command(name)(command)
    for name, group in (
        ("connectors", connectors.create()),
        ("db", db.create()),
        ("destinations", destinations.create()),
        ("feeds", feeds.create()),
        ("kafka", kafka.create()),
        ("keys", keys.create()),
        ("suppliers", suppliers.create()),
        ("watches", watches.create()),
    ):
        app.add_typer(group, name=name)
    return app


def main() -> None:
    """Run the CLI; operator errors print one line and exit 1 instead of a traceback."""
    from connectors.redact import RedactingFormatter

    line = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    logging.basicConfig(level=logging.INFO, format=line)
    for handler in logging.getLogger().handlers:  # no feed credentials in any log line
        handler.setFormatter(RedactingFormatter(line))
    for noisy in ("kafka", "alembic.runtime.plugins", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # connection chatter, not news
    app = create_cli()
    try:
        app()
    except MonitorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
