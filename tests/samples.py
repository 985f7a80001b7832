"""The real public samples the tests read: feeds under tests/fixtures (sources and licences in its
README), read and parsed the way the connectors do, and supplier files under tests/data."""

from __future__ import annotations

from pathlib import Path

from connectors import registry
from connectors.base import Item

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SUPPLIER_FILES = Path(__file__).resolve().parent / "data" / "suppliers"
PROJECT = SUPPLIER_FILES / "project_with_bad_rows.csv"  # a project-format file with bad rows
OSH = SUPPLIER_FILES / "open_supply_hub_export.csv"  # an Open Supply Hub export


def fixture_bytes(relative: str) -> bytes:
    """Return the bytes of a file under the shared fixtures."""
    return (FIXTURES / relative).read_bytes()


def parse_fixture(relative: str, kind: str | None = None) -> list[Item]:
    """Parse a shared fixture through the registry, scoped by its file name."""
    return registry.parse(fixture_bytes(relative), kind=kind, url=relative)
