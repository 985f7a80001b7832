"""docker-compose.yml: every service's command exists in the CLI, and start-up order is healthy."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.main import get_command

from monitor.cli import create_cli

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def _cli_paths() -> set[tuple[str, ...]]:
    root = get_command(create_cli())
    paths: set[tuple[str, ...]] = set()

    def walk(cmd, prefix: tuple[str, ...]) -> None:  # type: ignore[no-untyped-def]
        for name, sub in getattr(cmd, "commands", {}).items():
            paths.add((*prefix, name))
            walk(sub, (*prefix, name))

    walk(root, ())
    return paths


def test_every_project_service_runs_an_existing_command(compose: dict) -> None:
    paths = _cli_paths()
    project = {n: s for n, s in compose["services"].items() if "build" in s}
    assert {"migrate", "topics", "worker", "connectors", "api"} <= set(project)
    for name, service in project.items():
        words = [w for w in service["command"] if not w.startswith("-")]
        command = tuple(words[:2]) if tuple(words[:2]) in paths else tuple(words[:1])
        assert command in paths, f"service {name} runs `monitor {' '.join(words)}`: no such command"


def test_long_running_services_wait_for_healthy_dependencies(compose: dict) -> None:
    services = compose["services"]
    for name in ("kafka", "postgres", "api", "worker"):
        assert "healthcheck" in services[name], name
    for name in ("worker", "connectors", "api"):
        conditions = {d["condition"] for d in services[name]["depends_on"].values()}
        assert conditions <= {"service_healthy", "service_completed_successfully"}, name


def test_kafka_image_matches_the_local_broker_version(compose: dict) -> None:
    pom = (ROOT / "deploy" / "kafka" / "pom.xml").read_text()
    version = compose["services"]["kafka"]["image"].split(":")[1]
    assert f"<kafka.version>{version}</kafka.version>" in pom


def test_workers_can_scale(compose: dict) -> None:
    worker = compose["services"]["worker"]
    assert "container_name" not in worker and "ports" not in worker
