"""The stage plumbing without a broker: decoding, poison to dead letters, the world retried."""

from __future__ import annotations

import errno
import json
import socket
from collections.abc import AsyncIterator, Sequence
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from aiokafka.errors import KafkaConnectionError
from sqlalchemy.exc import OperationalError

from monitor.settings import Settings
from streams import stage as stage_module
from streams.app import build
from streams.records import ItemRecord
from streams.stage import Stage, transient


class SentTo:
    """A topic that keeps what is sent to it."""

    def __init__(self) -> None:
        self.values: list[dict[str, Any]] = []

    async def send(self, key: str, value: bytes) -> None:
        self.values.append(json.loads(value))


class Stream:
    """A stream that hands out the given batches and keeps what was acknowledged."""

    def __init__(self, *batches: list[Any]) -> None:
        self.batches = batches
        self.acked: list[Any] = []

    async def noack_take(self, size: int, within: float) -> AsyncIterator[list[Any]]:
        for batch in self.batches:
            yield batch

    async def ack(self, event: Any) -> None:
        self.acked.append(event)


def event(value: bytes, offset: int) -> Any:
    """Return an event as Faust hands it to an agent (value and where it came from)."""
    message = SimpleNamespace(value=value, key=b"k", topic="items", partition=0, offset=offset)
    return SimpleNamespace(value=value, message=message)


@pytest.fixture
def dead() -> SentTo:
    return SentTo()


@pytest.fixture
def stage(tmp_path: Path, dead: SentTo) -> Stage:
    settings = Settings(data_dir=tmp_path)
    app, topics = build(settings)
    return Stage("tag", app, replace(topics, dead_letters=dead), settings)  # type: ignore[arg-type]


@pytest.fixture
def waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record the stage's backoff instead of sleeping; fail on a retry loop that never ends."""
    waited: list[float] = []

    async def sleep(seconds: float) -> None:
        waited.append(seconds)
        if len(waited) > 20:
            raise AssertionError("the stage retried forever")

    monkeypatch.setattr(stage_module.asyncio, "sleep", sleep)
    return waited


@pytest.mark.parametrize(
    "error",
    [OperationalError("SELECT 1", {}, Exception("server closed the connection")),
     KafkaConnectionError("broker away"), ConnectionRefusedError(errno.ECONNREFUSED, "refused"),
     ConnectionResetError(), BrokenPipeError(), TimeoutError(), socket.gaierror(-2, "unknown"),
     OSError(errno.ENETUNREACH, "network unreachable"), OSError(errno.EHOSTUNREACH, "no route"),
     OSError(errno.ECONNRESET, "reset")],
)  # fmt: skip
def test_network_and_broker_errors_are_transient(error: Exception) -> None:
    assert transient(error)


@pytest.mark.parametrize(
    "error",
    [PermissionError(errno.EACCES, "denied"), FileNotFoundError(errno.ENOENT, "missing"),
     IsADirectoryError(errno.EISDIR, "a directory"), OSError(errno.ENOSPC, "disk full"),
     OSError("no errno"), ValueError("bad value"), RuntimeError("the tagger fell over")],
)  # fmt: skip
def test_every_other_error_is_poison(error: Exception) -> None:
    assert not transient(error)


async def test_decode_returns_records_and_dead_letters_the_rest(stage: Stage, dead: SentTo) -> None:
    good, bad = event(b'{"id": "a", "title": "t"}', 1), event(b'{"id": 5}', 2)
    decoded = await stage.decode([good, bad], ItemRecord)
    assert [(e, r.id, r.title) for e, r in decoded] == [(good, "a", "t")]
    assert [(d["stage"], d["offset"], d["payload"]) for d in dead.values] == [
        ("tag", 2, '{"id": 5}')
    ]
    assert "ItemRecord.id has the wrong type" in dead.values[0]["error"]


async def test_a_permission_error_is_dead_lettered_and_the_stream_goes_on(
    stage: Stage, dead: SentTo, waits: list[float]
) -> None:
    handled: list[bytes] = []

    async def handle(events: Sequence[Any]) -> None:
        if any(e.value == b"locked" for e in events):
            raise PermissionError(errno.EACCES, "Permission denied", "/var/lib/monitor/x")
        handled.extend(e.value for e in events)

    first = [event(b"locked", 1), event(b"fine", 2)]
    later = [event(b"later", 3)]
    stream = Stream(first, later)
    await stage.run(stream, handle)
    assert handled == [b"fine", b"later"]  # its batch-mate and the next batch still go through
    assert [(d["payload"], d["offset"]) for d in dead.values] == [("locked", 1)]
    assert dead.values[0]["error"].startswith("PermissionError: ")
    assert stream.acked == [*first, *later]
    assert waits == []  # never retried as if the world were away


async def test_a_refused_connection_is_retried_until_it_works(
    stage: Stage, dead: SentTo, waits: list[float]
) -> None:
    calls: list[int] = []

    async def handle(events: Sequence[Any]) -> None:
        calls.append(len(events))
        if len(calls) <= 2:
            raise ConnectionRefusedError(errno.ECONNREFUSED, "Connection refused")

    batch = [event(b"one", 1), event(b"two", 2)]
    stream = Stream(batch)
    await stage.run(stream, handle)
    assert calls == [2, 2, 2]  # the whole batch again, never split up
    assert len(waits) == 2 and waits == sorted(waits)  # with a growing backoff
    assert dead.values == []
    assert stream.acked == batch
