"""`monitor kafka start|stop|status|topics`: the local Apache Kafka broker."""

from __future__ import annotations

import time

import typer

from monitor.local import broker
from monitor.local.topics import ensure_topics
from monitor.settings import get_settings


def create() -> typer.Typer:
    """Build the `kafka` command group."""
    group = typer.Typer(
        help="Run the local Apache Kafka broker (KRaft, 127.0.0.1).", no_args_is_help=True
    )
    for name, command in (("start", start), ("stop", stop), ("status", status), ("topics", topics)):
        group.command(name)(command)
    return group


def start() -> None:
    """Fetch the jars if needed, start the broker, wait until it answers, create the topics."""
    settings = get_settings()
    began = time.monotonic()
    status = broker.start(settings)
    created = ensure_topics(settings)
    typer.echo(f"{status} (ready in {time.monotonic() - began:.1f}s)")
    if created:
        typer.echo(f"created topics: {', '.join(created)}")


def stop() -> None:
    """Stop the local broker cleanly."""
    stopped = broker.stop(get_settings())
    typer.echo("kafka stopped" if stopped else "kafka was not running")


def status() -> None:
    """Say whether the local broker is running and answering; exit 1 when it is not."""
    current = broker.status(get_settings())
    typer.echo(str(current))
    raise typer.Exit(0 if current.running else 1)


def topics() -> None:
    """Create the pipeline's topics on the configured brokers (any Kafka, not just the local)."""
    settings = get_settings()
    created = ensure_topics(settings)
    typer.echo(f"created: {', '.join(created)}" if created else "all topics exist")
