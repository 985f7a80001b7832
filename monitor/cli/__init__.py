"""The `monitor` command line: one Typer app, one module per command group."""

from __future__ import annotations

import logging
import sys

import typer

from monitor.errors import MonitorError

app = typer.Typer(
    help="Sourcing disruption monitor: feeds → Kafka → tagging → alerts and alternative suppliers.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    # Each module adds its commands to `app`; the order here is the order in `--help`.
    from monitor.cli import (  # noqa: F401
        connectors,
        db,
        feeds,
        feeds_manage,
        feeds_parse,
        kafka,
        keys,
        run,
        suppliers,
        tag,
    )


def main() -> None:
    """Run the CLI; operator errors print one line and exit 1 instead of a traceback."""
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    for noisy in ("kafka", "alembic.runtime.plugins", "aiokafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)  # connection chatter, not news
    _register()
    try:
        app()
    except MonitorError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
