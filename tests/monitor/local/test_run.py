"""`monitor run` brings the local stack up, and Ctrl-C leaves nothing running."""

from __future__ import annotations

import contextlib
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.kafka


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def _start_run(data_dir: Path, api_port: int) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "MONITOR_DATA_DIR": str(data_dir),
        "MONITOR_KAFKA_PORT": str(_free_port()),
        "MONITOR_KAFKA_CONTROLLER_PORT": str(_free_port()),
        "MONITOR_API_PORT": str(api_port),
        "MONITOR_DEMO_FEEDS_PORT": str(_free_port()),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "monitor", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_run_serves_health_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    api_port = _free_port()
    proc = _start_run(tmp_path, api_port)
    lines: list[str] = []
    try:
        health = _wait_for_health(f"http://127.0.0.1:{api_port}/api/v1/health", proc)
        assert health["status"] == "ok"
        pids = [int(p.read_text()) for p in (tmp_path / "run").glob("*.pid")]
        pids.append(int((tmp_path / "kafka" / "kafka.pid").read_text()))
        assert len(pids) >= 4  # worker, api, connectors, broker
        _read_until(proc, lines, lambda line: "stops everything" in line, timeout=120)
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=120)
    output = "\n".join([*lines, rest])
    assert proc.returncode == 0, output
    assert "kafka stopped" in output
    assert "[1/5] starting Kafka" in output and "[5/5] waiting for the API" in output
    assert f"Dashboard: http://127.0.0.1:{api_port}/" in output
    assert re.search(r"^  smk_[0-9a-f]+_\S+$", output, re.MULTILINE), output
    assert "demo directory: 400 suppliers, 4 buyers" in output
    assert "sample feeds:" in output and "(6 newly registered)" in output
    assert not [pid for pid in pids if _alive(pid)]


def test_ctrl_c_during_start_up_stops_what_was_started(tmp_path: Path) -> None:
    proc = _start_run(tmp_path, _free_port())
    lines: list[str] = []
    try:
        _read_until(proc, lines, lambda line: "connectors started" in line, timeout=180)
        pids = [int(p.read_text()) for p in (tmp_path / "run").glob("*.pid")]
        pids.append(int((tmp_path / "kafka" / "kafka.pid").read_text()))
    finally:
        proc.send_signal(signal.SIGINT)  # before the API answers: still starting up
        rest, _ = proc.communicate(timeout=120)
    output = "\n".join([*lines, rest])
    assert proc.returncode == 0, output
    assert "stopping…" in output and "kafka stopped" in output, output
    assert not [pid for pid in pids if _alive(pid)]


def _wait_for_health(url: str, proc: subprocess.Popen[str]) -> dict:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"monitor run exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            response = httpx.get(url, timeout=5)
            if response.status_code == 200:
                return dict(response.json())
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise AssertionError("the API did not report healthy within 180 s")


# The demo's alerts (buyer, and how the title starts: a drought's country list grows with its
# reports, so its title depends on which report clustered first). MeteoAlarm's yellow wind
# warnings for Poland's coastal zones are routine: no demo watch asks for routine warnings.
DEMO_ALERTS = [
    ("Atelier Textile", "Pakistan floods wipe"),
    ("Bean & Leaf Roasters", "Drought is on"),
    ("Chocolaterie du Nord", "Drought is on"),
    ("Coastal Electronics", "Drought is on"),
]


def test_a_killed_worker_is_restarted_and_every_alert_arrives_once(tmp_path: Path) -> None:
    proc = _start_run(tmp_path, _free_port())
    lines: list[str] = []
    assert proc.stdout is not None
    try:
        _read_until(proc, lines, lambda line: line.startswith("alert ["), timeout=240)
        worker = int((tmp_path / "run" / "worker.pid").read_text())
        os.killpg(worker, signal.SIGKILL)  # while the other items are still on their way
        _read_until(proc, lines, lambda line: line.startswith("worker restarted"), timeout=60)
        if _alerts(lines) < len(DEMO_ALERTS):
            _read_until(proc, lines, lambda _: _alerts(lines) >= len(DEMO_ALERTS), timeout=300)
        _read_for(proc, lines, seconds=20)  # anything repeated after a replay shows up here
    finally:
        proc.send_signal(signal.SIGINT)
        rest, _ = proc.communicate(timeout=120)
        lines += rest.splitlines()
    output = "\n".join(lines)
    assert "worker exited with code -9; restarting in 1s" in output
    alerts = [line.split(": ", 2) for line in lines if line.startswith("alert [new] Demo: ")]
    assert _alerts(lines) == len(alerts), output  # only new alerts: nothing came twice
    started = sorted((buyer, " ".join(title.split()[:3])) for _, buyer, title in alerts)
    assert started == DEMO_ALERTS, output
    assert proc.returncode == 0, output


def _alerts(lines: list[str]) -> int:
    return sum(line.startswith("alert [") for line in lines)


def _read_until(
    proc: subprocess.Popen[str], lines: list[str], done: Callable[[str], bool], timeout: float
) -> None:
    """Read `monitor run`'s lines into `lines` until one satisfies `done`."""
    assert proc.stdout is not None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not select.select([proc.stdout], [], [], 1.0)[0]:
            continue
        line = proc.stdout.readline()
        if not line:
            raise AssertionError("monitor run ended:\n" + "\n".join(lines))
        lines.append(line.rstrip("\n"))
        if done(lines[-1]):
            return
    raise AssertionError(f"waited {timeout:.0f}s in vain:\n" + "\n".join(lines))


def _read_for(proc: subprocess.Popen[str], lines: list[str], seconds: float) -> None:
    """Read `monitor run`'s lines into `lines` for a while."""
    with contextlib.suppress(AssertionError):
        _read_until(proc, lines, lambda _: False, timeout=seconds)
