"""`monitor connectors run [--shard i/n] [--once]`: poll the feeds into Kafka."""

from __future__ import annotations

import asyncio
import logging
import signal

import typer

from monitor.errors import MonitorError
from monitor.settings import get_settings

log = logging.getLogger(__name__)


def create() -> typer.Typer:
    """Build the `connectors` command group."""
    group = typer.Typer(help="Poll the feeds and produce new items to Kafka.")
    group.command("run")(run)
    return group


def run(
    shard: str = typer.Option("0/1", help="poll only feeds with id % n == i (e.g. 0/4)"),
    once: bool = typer.Option(False, "--once", help="poll the due feeds once, then exit"),
) -> None:
    """Poll due feeds until stopped (Ctrl-C or SIGTERM finish in-flight fetches first)."""
    from connectors.poller import Poller, parse_shard
    from connectors.producer import ItemProducer
    from monitor.db import check_connection, get_engine

    try:
        shard_of = parse_shard(shard)
    except ValueError as exc:
        raise MonitorError(str(exc)) from exc
    # One INFO line per request or Kafka connection is noise at thousands of feeds.
    for noisy in ("httpx", "kafka"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    settings = get_settings()
    engine = get_engine(settings)
    check_connection(engine)
    producer = ItemProducer(settings)
    poller = Poller(settings, engine=engine, producer=producer, shard=shard_of)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, poller.stop.set)
        await poller.run(once=once)

    log.info("connectors running: shard %s, %d at once", shard, settings.polling.concurrency)
    try:
        asyncio.run(main())
    finally:
        producer.close()
