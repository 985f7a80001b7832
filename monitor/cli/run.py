"""`monitor worker`, `monitor api`, `monitor run` and `monitor stop`."""

from __future__ import annotations

import typer

from monitor.local import supervisor
from monitor.settings import get_settings


def worker(loglevel: str = typer.Option("info", help="Faust log level")) -> None:
    """Run a Faust stream worker (start more of them to scale out)."""
    from monitor.local.topics import ensure_topics
    from streams.worker import run_worker

    ensure_topics(get_settings())  # fails with one clear line when Kafka is unreachable

    run_worker(get_settings(), loglevel)


def api(
    host: str | None = typer.Option(None, help="listen address (default MONITOR_API_HOST)"),
    port: int | None = typer.Option(None, help="listen port (default MONITOR_API_PORT)"),
) -> None:
    """Serve the REST API."""
    import uvicorn

    settings = get_settings()
    host, port = host or settings.api.host, port or settings.api.port
    supervisor.require_free_port(host, port, "MONITOR_API_PORT")
    uvicorn.run("monitor.api.app:create_app", factory=True, host=host, port=port, log_level="info")


def run() -> None:
    """Run everything locally (Kafka, database, worker, API) until Ctrl-C."""
    supervisor.run_all(get_settings(), echo=typer.echo)


def stop() -> None:
    """Stop what `monitor run` or the tests left running (processes and the broker)."""
    for line in supervisor.stop_all(get_settings()):
        typer.echo(line)
