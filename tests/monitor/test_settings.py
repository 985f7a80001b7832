"""Settings: defaults, environment overrides, a refused environment name."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from monitor.settings import Settings


def test_defaults_point_at_the_local_stack(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, kafka_port=9999)
    assert s.bootstrap_servers == "127.0.0.1:9999"
    assert s.db_url == f"sqlite:///{tmp_path / 'monitor.db'}"
    assert s.topics == ["items", "disruptions", "incidents", "alerts", "dead-letters"]


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MONITOR_KAFKA_BOOTSTRAP_SERVERS", "kafka:9092")
    monkeypatch.setenv("MONITOR_DATABASE_URL", "postgresql+psycopg://u:p@db/x")
    monkeypatch.setenv("MONITOR_TOPIC_PARTITIONS", "12")
    s = Settings()
    assert s.bootstrap_servers == "kafka:9092"
    assert s.db_url == "postgresql+psycopg://u:p@db/x"
    assert s.topic_partitions == 12


@pytest.mark.parametrize("value", ["prod", "Production ", "staging"])
def test_a_misspelt_environment_fails_at_start_up(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("MONITOR_ENVIRONMENT", value)
    with pytest.raises(ValidationError, match="environment"):
        Settings()


def test_cors_is_closed_unless_origins_are_listed(monkeypatch: pytest.MonkeyPatch) -> None:
    assert Settings().cors_origins == []
    monkeypatch.setenv("MONITOR_CORS_ORIGINS", '["https://buyer.example"]')
    assert Settings().cors_origins == ["https://buyer.example"]
