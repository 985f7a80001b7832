"""What `monitor run` prints once it is up, and how it gives up on an API that never listens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.errors import MonitorError
from monitor.local import supervisor
from monitor.settings import Settings


def test_welcome_names_the_dashboard_and_the_demo_key_alone_on_its_line() -> None:
    settings = Settings(api_host="127.0.0.1", api_port=8123)
    lines = supervisor.welcome_lines(settings, ("Demo: Cocoa", "smk_ab_cd"), 12.4)
    assert lines[0] == "ready in 12s"
    assert "Dashboard: http://127.0.0.1:8123/" in lines
    assert "  smk_ab_cd" in lines
    without = supervisor.welcome_lines(settings, None, 1)
    assert not [line for line in without if "smk_" in line or "Demo buyer" in line]


def test_an_api_that_exits_is_named_with_its_log(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_host="127.0.0.1", api_port=1)
    gone = subprocess.Popen([sys.executable, "-c", "raise SystemExit(3)"])
    gone.wait()
    with pytest.raises(MonitorError, match=r"api exited with code 3; see .*api\.log"):
        supervisor._wait_for_api(settings, gone)


def test_an_api_that_never_listens_times_out_in_one_line(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, api_host="127.0.0.1", api_port=1)
    waiting = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    try:
        with pytest.raises(MonitorError, match="did not listen within 0s"):
            supervisor._wait_for_api(settings, waiting, timeout=0.2)
    finally:
        waiting.kill()
        waiting.wait()


def test_welcome_says_which_feeds_are_read() -> None:
    for feeds, word in (("samples", "sample"), ("catalogue", "catalogue")):
        lines = supervisor.welcome_lines(Settings(demo_feeds=feeds), ("Demo: Cocoa", "smk_x"), 1)
        assert f"as the {word} feeds are read." in " ".join(lines)


def test_catalogue_demo_registers_the_catalogue_and_says_so(db_settings: Settings) -> None:
    from monitor.feeds import catalogue

    lines: list[str] = []
    supervisor._start_catalogue_demo(db_settings, lines.append)
    total = len(catalogue.entries())
    assert lines[0].strip().startswith(f"catalogue feeds: {total} newly registered, 0 already")
    assert "demo directory: " in lines[1]
