"""`monitor run` brings the local stack up, and Ctrl-C leaves nothing running."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
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


def test_run_serves_health_and_ctrl_c_stops_everything(tmp_path: Path) -> None:
    api_port = _free_port()
    env = {
        **os.environ,
        "MONITOR_DATA_DIR": str(tmp_path),
        "MONITOR_KAFKA_PORT": str(_free_port()),
        "MONITOR_KAFKA_CONTROLLER_PORT": str(_free_port()),
        "MONITOR_API_PORT": str(api_port),
        "MONITOR_DEMO_FEEDS_PORT": str(_free_port()),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = _wait_for_health(f"http://127.0.0.1:{api_port}/api/v1/health", proc)
        assert health["status"] == "ok"
        pids = [int(p.read_text()) for p in (tmp_path / "run").glob("*.pid")]
        pids.append(int((tmp_path / "kafka" / "kafka.pid").read_text()))
        assert len(pids) >= 4  # worker, api, connectors, broker
    finally:
        proc.send_signal(signal.SIGINT)
        output, _ = proc.communicate(timeout=120)
    assert proc.returncode == 0, output
    assert "kafka stopped" in output
    assert "[1/5] starting Kafka" in output and "[5/5] waiting for the API" in output
    assert f"Dashboard: http://127.0.0.1:{api_port}/" in output
    assert re.search(r"^  smk_[0-9a-f]+_\S+$", output, re.MULTILINE), output
    assert "demo directory: 400 suppliers, 4 buyers" in output
    assert "sample feeds:" in output and "(6 newly registered)" in output
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
