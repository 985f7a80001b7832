"""Run a real single-node Apache Kafka (KRaft) on 127.0.0.1 for development and tests.

The jars come from Maven (`deploy/kafka/pom.xml`), the storage is formatted once with
`kafka.tools.StorageTool`, and the broker runs as `kafka.Kafka server.properties` in its own
process group so it outlives the command that started it until `stop()`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from monitor.errors import MonitorError
from monitor.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

POM = PROJECT_ROOT / "deploy" / "kafka" / "pom.xml"
LOG4J_CONFIG = PROJECT_ROOT / "deploy" / "kafka" / "log4j2.properties"


@dataclass(frozen=True)
class Paths:
    """Where the local broker keeps its jars, data, logs and pid."""

    root: Path
    lib: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def config(self) -> Path:
        return self.root / "server.properties"

    @property
    def pid(self) -> Path:
        return self.root / "kafka.pid"

    @property
    def stamp(self) -> Path:
        return self.lib / ".pom-sha256"


def paths(settings: Settings) -> Paths:
    """Return the broker's paths under the data directory."""
    root = settings.data_dir / "kafka"
    return Paths(root, settings.kafka.lib_dir or root / "lib")


def _require(tool: str, fix: str) -> str:
    found = shutil.which(tool)
    if not found:
        raise MonitorError(f"{tool} not found on PATH: {fix}")
    return found


def fetch_jars(settings: Settings) -> Path:
    """Copy the broker jars from Maven into the cache, unless the pom has not changed."""
    p = paths(settings)
    digest = hashlib.sha256(POM.read_bytes()).hexdigest()
    if p.stamp.exists() and p.stamp.read_text() == digest:
        return p.lib
    mvn = _require("mvn", "install Maven (apt-get install maven)")
    _require("java", "install Java 17 (apt-get install openjdk-17-jre-headless)")
    log.info("fetching Kafka jars with Maven into %s", p.lib)
    if p.lib.exists():
        shutil.rmtree(p.lib)
    p.lib.mkdir(parents=True)
    cmd = [
        mvn,
        "-q",
        "-B",
        "-f",
        str(POM),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={p.lib}",
        "-DincludeScope=runtime",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        tail = (done.stdout + done.stderr).strip().splitlines()[-3:]
        raise MonitorError(
            "Maven could not fetch the Kafka jars (" + " | ".join(tail) + "): "
            "check the package registry is reachable and run again"
        )
    p.stamp.write_text(digest)
    return p.lib


def server_properties(settings: Settings, p: Paths) -> str:
    """Return the single-node broker+controller configuration."""
    host, port, cport = settings.kafka.host, settings.kafka.port, settings.kafka.controller_port
    return "\n".join(
        [
            "process.roles=broker,controller",
            "node.id=1",
            f"controller.quorum.voters=1@{host}:{cport}",
            f"listeners=PLAINTEXT://{host}:{port},CONTROLLER://{host}:{cport}",
            f"advertised.listeners=PLAINTEXT://{host}:{port}",
            "controller.listener.names=CONTROLLER",
            "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "inter.broker.listener.name=PLAINTEXT",
            f"log.dirs={p.data}",
            f"num.partitions={settings.topics.partitions}",
            "offsets.topic.replication.factor=1",
            "offsets.topic.num.partitions=4",
            "transaction.state.log.replication.factor=1",
            "transaction.state.log.min.isr=1",
            "share.coordinator.state.topic.replication.factor=1",
            "share.coordinator.state.topic.min.isr=1",
            # Topics are created by the project (monitor.local.topics), never by a producer typo.
            "auto.create.topics.enable=false",
            "group.initial.rebalance.delay.ms=0",
            "log.retention.hours=168",
            "",
        ]
    )


def _java_cmd(p: Paths, main: str, *args: str, heap: str = "256m") -> list[str]:
    java = _require("java", "install Java 17 (apt-get install openjdk-17-jre-headless)")
    return [
        java,
        f"-Xms{heap}",
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-Djava.awt.headless=true",
        f"-Dkafka.logs.dir={p.logs}",
        f"-Dlog4j2.configurationFile={LOG4J_CONFIG}",
        "-cp",
        f"{p.lib}/*",
        main,
        *args,
    ]


def cluster_id() -> str:
    """Return a random KRaft cluster id: a UUID in URL-safe base64, as `kafka-storage
    random-uuid` prints it. Like Kafka's own, it never starts with '-', which the tool's
    argument parser would take for an option (one id in 64 did, and formatting failed)."""
    while True:
        found = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not found.startswith("-"):
            return found


def format_storage(settings: Settings) -> None:
    """Write the config and format KRaft storage once (skipped when already formatted)."""
    p = paths(settings)
    p.logs.mkdir(parents=True, exist_ok=True)
    p.config.write_text(server_properties(settings, p))
    if (p.data / "meta.properties").exists():
        return
    cmd = _java_cmd(p, "kafka.tools.StorageTool", "format", "-t", cluster_id(), "-c", str(p.config))
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise MonitorError(f"formatting Kafka storage failed: {done.stdout}{done.stderr}".strip())


def _read_pid(p: Paths) -> int | None:
    try:
        pid = int(p.pid.read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        return pid
    return None if _is_zombie(pid) else pid


def _is_zombie(pid: int) -> bool:
    # A child that died under a long-lived parent (a test session) lingers as a zombie.
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[-1].split()[0] == "Z"


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    """Return True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def reachable(bootstrap: str, timeout: float = 2.0) -> bool:
    """Return True when any bootstrap server accepts TCP connections."""
    # Kafka clients retry an unreachable bootstrap for ~30 s; a TCP probe answers at once.
    hosts = [h.strip().rsplit(":", 1) for h in bootstrap.split(",") if ":" in h]
    return any(port_open(host, int(port), timeout) for host, port in hosts)


def broker_answers(bootstrap: str, timeout: float = 5.0) -> bool:
    """Return True when a Kafka broker answers a metadata request at `bootstrap`."""
    from kafka import KafkaAdminClient
    from kafka.errors import KafkaError

    if not reachable(bootstrap, timeout):
        return False
    try:
        admin = KafkaAdminClient(
            bootstrap_servers=bootstrap, request_timeout_ms=int(timeout * 1000)
        )
    except (KafkaError, OSError, ValueError):
        return False
    try:
        admin.list_topics()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        admin.close()


@dataclass(frozen=True)
class Status:
    """What `monitor kafka status` reports."""

    running: bool
    pid: int | None
    bootstrap: str
    log: Path

    def __str__(self) -> str:
        if self.running:
            return f"kafka running (pid {self.pid}) at {self.bootstrap}; log {self.log}"
        return f"kafka not running at {self.bootstrap}"


def status(settings: Settings) -> Status:
    """Report whether the local broker is up and answering."""
    p = paths(settings)
    pid = _read_pid(p)
    running = pid is not None and broker_answers(settings.kafka.servers, timeout=3.0)
    return Status(running, pid, settings.kafka.servers, p.logs / "server.log")


def start(settings: Settings) -> Status:
    """Start the broker if it is not running, and wait until it answers."""
    p = paths(settings)
    if _read_pid(p) is not None:
        current = status(settings)
        if current.running:
            return current
        return _wait_until_up(settings, p, _read_pid(p) or 0)
    for port in (settings.kafka.port, settings.kafka.controller_port):
        if port_open(settings.kafka.host, port):
            raise MonitorError(
                f"port {settings.kafka.host}:{port} is already in use by another program: stop it "
                "or set MONITOR_KAFKA_PORT / MONITOR_KAFKA_CONTROLLER_PORT to free ports"
            )
    fetch_jars(settings)
    format_storage(settings)
    out = (p.logs / "kafka.out").open("ab")
    proc = subprocess.Popen(
        _java_cmd(p, "kafka.Kafka", str(p.config), heap=settings.kafka.heap),
        stdout=out,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # survive the CLI; stop() signals the group
    )
    p.pid.write_text(str(proc.pid))
    return _wait_until_up(settings, p, proc.pid)


def _wait_until_up(settings: Settings, p: Paths, pid: int) -> Status:
    deadline = time.monotonic() + settings.kafka.start_timeout_s
    while time.monotonic() < deadline:
        if _read_pid(p) is None:
            tail = _tail(p.logs / "kafka.out") or _tail(p.logs / "server.log")
            raise MonitorError(f"Kafka exited during start-up; last log lines: {tail}")
        if port_open(settings.kafka.host, settings.kafka.port) and broker_answers(
            settings.kafka.servers
        ):
            return Status(True, pid, settings.kafka.servers, p.logs / "server.log")
        time.sleep(0.3)
    raise MonitorError(
        f"Kafka did not answer within {settings.kafka.start_timeout_s:.0f}s; "
        f"see {p.logs / 'server.log'}"
    )


def _tail(path: Path, lines: int = 5) -> str:
    try:
        return " | ".join(path.read_text(errors="replace").strip().splitlines()[-lines:])
    except FileNotFoundError:
        return ""


def stop(settings: Settings, timeout: float = 30.0) -> bool:
    """Stop the broker cleanly (SIGTERM, then SIGKILL); return True if one was running."""
    p = paths(settings)
    pid = _read_pid(p)
    if pid is None:
        p.pid.unlink(missing_ok=True)
        return False
    os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _read_pid(p) is not None:
        time.sleep(0.2)
    if _read_pid(p) is not None:
        log.warning("Kafka did not stop in %.0fs; killing it", timeout)
        os.killpg(pid, signal.SIGKILL)
    p.pid.unlink(missing_ok=True)
    return True
