"""The `monitor` command line: help, and one clear error line instead of a traceback."""

from __future__ import annotations

import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import typer
from typer.main import get_command
from typer.testing import CliRunner

import monitor.cli
from monitor.cli import create_cli

# Every command path, in `--help` order: names an operator's scripts depend on.
COMMANDS = [
    "worker", "api", "run", "stop", "suggest", "tag", "eval", "replay",
    "connectors", "connectors run",
    "db", "db upgrade",
    "destinations", "destinations add", "destinations list", "destinations remove",
    "feeds", "feeds add", "feeds list", "feeds show", "feeds remove", "feeds check",
    "feeds reset-errors", "feeds parse", "feeds import", "feeds export",
    "feeds catalogue", "feeds catalogue list", "feeds catalogue add",
    "kafka", "kafka start", "kafka stop", "kafka status", "kafka topics",
    "keys", "keys create", "keys revoke",
    "suppliers", "suppliers import", "suppliers export", "suppliers demo",
    "watches", "watches backtest",
]  # fmt: skip


def _monitor(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=120,
        check=False,
    )


def test_help_lists_the_commands() -> None:
    result = CliRunner().invoke(create_cli(), ["--help"])
    assert result.exit_code == 0
    for command in ("kafka", "db", "worker", "api", "run", "stop", "feeds"):
        assert command in result.output


def _paths(command: object, prefix: str = "") -> list[str]:
    found: list[str] = []
    for name, sub in getattr(command, "commands", {}).items():
        found += [f"{prefix}{name}", *_paths(sub, f"{prefix}{name} ")]
    return found


def test_create_cli_builds_every_command_in_order() -> None:
    assert _paths(get_command(create_cli())) == COMMANDS


def test_importing_a_command_module_builds_no_app() -> None:
    for info in pkgutil.iter_modules(monitor.cli.__path__):
        module = importlib.import_module(f"monitor.cli.{info.name}")
        built = [name for name, value in vars(module).items() if isinstance(value, typer.Typer)]
        assert built == [], f"monitor.cli.{info.name} builds {built} on import"
    assert create_cli() is not create_cli()


def test_bad_database_url_is_one_line_without_traceback() -> None:
    done = _monitor("db", "upgrade", MONITOR_DATABASE_URL="nosuchdb://x")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("error: bad database URL")


def test_unreachable_kafka_is_one_line_without_traceback() -> None:
    done = _monitor("worker", MONITOR_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:1")
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "Kafka is not reachable at 127.0.0.1:1" in done.stderr


def test_db_upgrade_migrates_a_new_sqlite_file(tmp_path: Path) -> None:
    done = _monitor("db", "upgrade", MONITOR_DATA_DIR=str(tmp_path))
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "monitor.db").exists()


def test_kafka_status_exits_1_when_not_running(tmp_path: Path) -> None:
    done = _monitor("kafka", "status", MONITOR_DATA_DIR=str(tmp_path), MONITOR_KAFKA_PORT="1")
    assert done.returncode == 1
    assert "kafka not running" in done.stdout
