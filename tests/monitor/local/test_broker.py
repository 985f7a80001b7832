"""The local Apache Kafka launcher: configuration, clear errors, and the real broker."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from monitor.errors import MonitorError
from monitor.local import broker
from monitor.settings import Settings


def test_server_properties_bind_loopback_and_disable_auto_create(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, kafka={"port": 19999, "controller_port": 19998})
    text = broker.server_properties(s, broker.paths(s))
    assert "listeners=PLAINTEXT://127.0.0.1:19999,CONTROLLER://127.0.0.1:19998" in text
    assert "process.roles=broker,controller" in text
    assert "auto.create.topics.enable=false" in text
    assert f"log.dirs={tmp_path / 'kafka' / 'data'}" in text


def test_missing_maven_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker.shutil, "which", lambda tool: None)
    with pytest.raises(MonitorError, match=r"mvn not found on PATH: install Maven"):
        broker.fetch_jars(Settings(data_dir=tmp_path, kafka={"lib_dir": tmp_path / "lib"}))


def test_missing_java_names_the_fix(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(broker.shutil, "which", lambda tool: None if tool == "java" else tool)
    with pytest.raises(MonitorError, match=r"java not found on PATH: install Java 17"):
        broker._java_cmd(broker.paths(Settings(data_dir=tmp_path)), "kafka.Kafka")


def test_port_in_use_is_one_clear_error(tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        s = Settings(data_dir=tmp_path, kafka={"port": port})
        with pytest.raises(MonitorError, match=f"port 127.0.0.1:{port} is already in use"):
            broker.start(s)


def test_status_of_a_broker_that_never_ran(tmp_path: Path) -> None:
    s = Settings(data_dir=tmp_path, kafka={"port": 1})
    current = broker.status(s)
    assert not current.running
    assert "not running" in str(current)
    assert broker.stop(s) is False


@pytest.mark.kafka
def test_real_broker_is_up_and_a_second_start_keeps_it(kafka: Settings) -> None:
    first = broker.status(kafka)
    assert first.running and first.pid
    again = broker.start(kafka)
    assert again.pid == first.pid
    assert (broker.paths(kafka).data / "meta.properties").exists()
    assert (broker.paths(kafka).logs / "server.log").stat().st_size > 0


@pytest.mark.kafka
def test_project_topics_exist_with_configured_partitions(kafka: Settings) -> None:
    from kafka import KafkaConsumer

    consumer = KafkaConsumer(bootstrap_servers=kafka.kafka.servers)
    try:
        for topic in kafka.topics.names:
            assert len(consumer.partitions_for_topic(topic) or ()) == kafka.topics.partitions
    finally:
        consumer.close()


def test_a_cluster_id_never_starts_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    # 0xf8 makes the base64 text start with '-': kafka-storage would read it as an option.
    drawn = iter([uuid.UUID(bytes=b"\xf8" + b"\x00" * 15), uuid.UUID(int=1)])
    monkeypatch.setattr(broker.uuid, "uuid4", lambda: next(drawn))
    found = broker.cluster_id()
    assert found == "AAAAAAAAAAAAAAAAAAAAAQ" and len(found) == 22
