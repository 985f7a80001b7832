"""The `monitor` command line: help, and one clear error line instead of a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import _register, app


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
    _register()
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("kafka", "db", "worker", "api", "run", "stop", "feeds"):
        assert command in result.output


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
