"""Run the local stack as child processes, and stop it again."""

from __future__ import annotations

import contextlib
import functools
import json
import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from monitor import db
from monitor.errors import MonitorError
from monitor.local import broker
from monitor.local.restarts import Child
from monitor.local.topics import ensure_topics
from monitor.settings import DemoFeeds, Settings

Echo = Callable[[str], None]


def require_free_port(host: str, port: int, setting: str) -> None:
    """Fail with a clear line when host:port is taken."""
    if broker.port_open(host, port):
        raise MonitorError(
            f"port {host}:{port} is already in use: stop that program or set {setting}"
        )


def commands(settings: Settings) -> dict[str, list[str]]:
    """Return the processes `monitor run` supervises, by name."""
    me = [sys.executable, "-m", "monitor"]
    return {
        "worker": [*me, "worker"],
        "api": [*me, "api"],
        "connectors": [*me, "connectors", "run"],
    }


def _run_dir(settings: Settings) -> Path:
    path = settings.data_dir / "run"
    path.mkdir(parents=True, exist_ok=True)
    return path


def run_all(settings: Settings, echo: Echo) -> None:
    """Start Kafka, migrate, start every process, and supervise them until interrupted.

    A child that exits is restarted after a backoff; one that crash-loops stops the run.
    Ctrl-C or SIGTERM at any point, start-up included, stops everything that was started."""
    require_free_port(settings.api.host, settings.api.port, "MONITOR_API_PORT")
    for sig in (signal.SIGTERM, signal.SIGHUP):  # `kill` or a closed terminal: stop cleanly
        signal.signal(sig, _interrupt)
    try:
        _supervise(settings, _start(settings, echo), echo)
    except KeyboardInterrupt:
        echo("stopping…")
    finally:
        for line in stop_all(settings):
            echo(line)


def _start(settings: Settings, echo: Echo) -> list[Child]:
    """Start Kafka, migrate, load the demo, start the children, and wait for the API."""
    began = time.monotonic()
    # The numbered steps say what these log, in one line.
    for chatty in ("alembic", "monitor.local.topics"):
        logging.getLogger(chatty).setLevel(logging.WARNING)
    steps = 5 if settings.demo else 4
    step = _Steps(echo, steps, began)
    step("starting Kafka (the first start formats its storage)…")
    echo(f"      {broker.start(settings)}")
    ensure_topics(settings)
    step("migrating the database…")
    db.upgrade(settings)
    echo(f"      {db.get_engine(settings).url.render_as_string()}")
    env = dict(os.environ)
    if settings.demo and settings.demo_feeds == DemoFeeds.catalogue:
        step("loading the demo: catalogue feeds, suppliers and buyers…")
        _start_catalogue_demo(settings, echo)
    elif settings.demo:
        step("loading the demo: sample feeds, suppliers and buyers…")
        _start_demo(settings, echo)
        # The connectors may poll the sample server on loopback: that host and port, no other.
        allowed = sorted({*settings.fetch.allow_private_hosts, settings.demo_feeds_allow})
        env["MONITOR_FETCH_ALLOW_PRIVATE_HOSTS"] = json.dumps(allowed)
    step(f"starting {', '.join(commands(settings))} (logs in {settings.data_dir / 'logs'})…")
    children = _children(settings, env)
    started = {child.name: child.start() for child in children}
    for name, proc in started.items():
        echo(f"      {name} started (pid {proc.pid})")
    step("waiting for the API to answer…")
    _wait_for_api(settings, started["api"])
    for line in welcome_lines(settings, _demo_key(settings), time.monotonic() - began):
        echo(line)
    return children


def _supervise(settings: Settings, children: list[Child], echo: Echo) -> None:
    """Print each new alert, and restart a crashed child after a backoff, until interrupted."""
    from monitor.local.alertlines import AlertLines

    alert_lines = AlertLines(settings)
    while True:
        for line in alert_lines.poll():  # one line per alert as it arrives
            echo(line)
        for child in children:
            child.check(echo)
        time.sleep(1)


class _Steps:
    """Prints `[n/total] what… (seconds since start)` for each long step."""

    def __init__(self, echo: Echo, total: int, began: float) -> None:
        self.echo, self.total, self.began, self.done = echo, total, began, 0

    def __call__(self, what: str) -> None:
        self.done += 1
        elapsed = time.monotonic() - self.began
        self.echo(f"[{self.done}/{self.total}] {what} ({elapsed:.0f}s)")


def welcome_lines(settings: Settings, demo: tuple[str, str] | None, elapsed: float) -> list[str]:
    """Return what `monitor run` prints once everything answers: where to look, and a key."""
    base = f"http://{settings.api.host}:{settings.api.port}"
    lines = [
        f"ready in {elapsed:.0f}s",
        f"Dashboard: {base}/",
        f"API:       {base}/api/v1/health (OpenAPI at {base}/docs)",
        f"Kafka:     {settings.kafka.servers}",
    ]
    if demo is not None:
        buyer, key = demo
        lines += [
            f"Demo buyer key for {buyer!r} (new each run; paste it on the dashboard's sign-in):",
            f"  {key}",
            f"Alerts appear below and in the dashboard as the {_which(settings)} feeds are read.",
        ]
    lines.append("Ctrl-C (or `make stop`) stops everything.")
    return lines


def _which(settings: Settings) -> str:
    return "catalogue" if settings.demo_feeds == DemoFeeds.catalogue else "sample"


def _demo_key(settings: Settings) -> tuple[str, str] | None:
    if not settings.demo:
        return None
    from monitor.local.demo import demo_key

    return demo_key(settings=settings)


def _wait_for_api(settings: Settings, api: subprocess.Popen[bytes], timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    log = settings.data_dir / "logs" / "api.log"
    while time.monotonic() < deadline:
        if api.poll() is not None:
            raise MonitorError(f"api exited with code {api.returncode}; see {log}")
        if broker.port_open(settings.api.host, settings.api.port):
            return
        time.sleep(0.3)
    raise MonitorError(f"the API did not listen within {timeout:.0f}s; see {log}")


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def _start_demo(settings: Settings, echo: Echo) -> None:
    from monitor.local import demo

    host, port = settings.api.host, settings.demo_feeds_port
    require_free_port(host, port, "MONITOR_DEMO_FEEDS_PORT")
    demo.serve_samples(host, port)  # a daemon thread: it ends with this process
    added = demo.register_feeds(settings=settings, base_url=f"http://{host}:{port}")
    echo(f"      sample feeds: http://{host}:{port}/ ({len(added)} newly registered)")
    _load_directory(settings, echo)


def _start_catalogue_demo(settings: Settings, echo: Echo) -> None:
    from monitor.local import demo

    added, already = demo.register_catalogue(settings=settings)
    echo(
        f"      catalogue feeds: {added} newly registered, {already} already "
        "(`monitor feeds catalogue list` shows them)"
    )
    _load_directory(settings, echo)


def _load_directory(settings: Settings, echo: Echo) -> None:
    from monitor.local import demo

    suppliers, buyers = demo.load_directory(settings=settings)
    echo(
        f"      demo directory: {suppliers} suppliers, {buyers} buyers (MONITOR_DEMO=false to skip)"
    )


def _children(settings: Settings, env: dict[str, str]) -> list[Child]:
    """The supervised processes, each restarted by the default policy when it crashes."""
    logs = settings.data_dir / "logs"
    return [
        Child(name, functools.partial(_spawn, settings, name, cmd, env), str(logs / f"{name}.log"))
        for name, cmd in commands(settings).items()
    ]


def _spawn(
    settings: Settings, name: str, cmd: list[str], env: dict[str, str]
) -> subprocess.Popen[bytes]:
    logs = settings.data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    out = (logs / f"{name}.log").open("ab")
    proc = subprocess.Popen(
        cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True, env=env,
    )  # fmt: skip
    (_run_dir(settings) / f"{name}.pid").write_text(str(proc.pid))
    return proc


def _pids(settings: Settings) -> Iterator[tuple[str, int, Path]]:
    for pid_file in sorted(_run_dir(settings).glob("*.pid")):
        try:
            yield pid_file.stem, int(pid_file.read_text().strip()), pid_file
        except ValueError:
            pid_file.unlink()


def stop_all(settings: Settings, timeout: float = 20.0) -> list[str]:
    """Stop every process `run_all` started, then the broker; return what was done."""
    done = []
    for name, pid, pid_file in _pids(settings):
        if _signal_group(pid, signal.SIGTERM):
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.2)
            if _alive(pid):
                _signal_group(pid, signal.SIGKILL)
            done.append(f"{name} stopped")
        pid_file.unlink(missing_ok=True)
    done.append("kafka stopped" if broker.stop(settings) else "kafka was not running")
    return done


def _signal_group(pid: int, sig: int) -> bool:
    try:
        os.killpg(pid, sig)
        return True
    except ProcessLookupError:
        return False


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reap our own child so it does not linger as a zombie
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
