"""Builders for the connector tests: read a fixture, parse it, forbid the network."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from connectors import registry
from connectors.base import Item
from tests.conftest import FIXTURES


def fixture_bytes(relative: str) -> bytes:
    """Return the bytes of a file under the shared fixtures."""
    return (FIXTURES / relative).read_bytes()


def parse_fixture(relative: str, kind: str | None = None) -> list[Item]:
    """Parse a shared fixture through the registry, scoped by its file name."""
    return registry.parse(fixture_bytes(relative), kind=kind, url=relative)


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Make every outgoing connection fail loudly and record the attempts."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> None:
        attempts.append(args)
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield attempts
