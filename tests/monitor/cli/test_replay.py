"""`monitor replay`'s errors: bad times exit 2 naming the option, a missing broker exits 1."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from monitor.cli import create_cli


@pytest.mark.parametrize(
    ("args", "option", "words"),
    [
        (["--since", "last tuesday"], "--since", "not an ISO 8601 time"),
        (["--since", "2999-01-01"], "--since", "in the future"),
        (["--since", "1d", "--until", "7d"], "--until", "is not after --since"),
        (["--since", "2026-01-01", "--until", "soon"], "--until", "not an ISO 8601 time"),
    ],
)
def test_a_bad_time_is_a_usage_error_naming_the_option(
    args: list[str], option: str, words: str
) -> None:
    result = CliRunner().invoke(create_cli(), ["replay", *args])
    assert result.exit_code == 2, result.output
    text = " ".join(re.sub("[│╭╮╰╯─]", " ", result.output).split())  # rich's box, unwrapped
    assert option in text and words in text
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_replay_needs_since() -> None:
    assert CliRunner().invoke(create_cli(), ["replay"]).exit_code == 2


def test_an_unreachable_broker_is_one_line_without_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "monitor", "replay", "--since", "1d"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "MONITOR_KAFKA_BOOTSTRAP_SERVERS": "127.0.0.1:1"},
    )  # fmt: skip
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: Kafka is not reachable at 127.0.0.1:1: start it with `monitor kafka start` "
        "or set MONITOR_KAFKA_BOOTSTRAP_SERVERS"
    ]
