"""Fuzzing the three commands that read files: no input ever ends in a traceback.

Random bytes, random JSON, and real fixtures cut and spliced at random. Example counts are
modest so the suite stays fast; `HYPOTHESIS_PROFILE=long` runs many more.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from connectors import registry
from monitor.cli import create_cli
from monitor.errors import MonitorError
from tests.samples import FIXTURES

app = create_cli()
runner = CliRunner()
settings.register_profile(
    "suite", max_examples=25, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.register_profile(
    "long", max_examples=1000, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

SAMPLES = [
    (FIXTURES / name).read_bytes()
    for name in (
        "rss/rss_2.0_cloudflare.xml",
        "gdacs/gdacs-1.xml",
        "usgs/earthquakes-1.json",
        "cap/oasis/example2.xml",
        "nws/sample.json",
        "feedparser-corpus/json/example.json",
        "oshub/" + sorted(p.name for p in (FIXTURES / "oshub").iterdir())[0],
    )
]
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=40),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=30,
)
FIELD_NAMES = ["id", "title", "body", "url", "lat", "lon", "name", "country", "materials",
               "capacity_monthly", "features", "properties", "geometry", "coordinates", "items",
               "type", "tags", "category", "country_hint", "event_hint", "extra"]  # fmt: skip
RECORD = st.dictionaries(st.sampled_from(FIELD_NAMES), JSON, max_size=8)
NESTED = st.integers(min_value=1, max_value=50_000).map(lambda n: "[" * n + "]" * n)


@st.composite
def spliced(draw: st.DrawFn) -> bytes:
    """A real sample with a random cut, insertion or byte change."""
    body = draw(st.sampled_from(SAMPLES))
    start = draw(st.integers(0, len(body)))
    end = draw(st.integers(start, min(len(body), start + 200)))
    return body[:start] + draw(st.binary(max_size=50)) + body[end:]


def _json_text(value: Any) -> str:
    return json.dumps(value, allow_nan=True)  # NaN/Infinity on purpose: hostile JSON has them


def _write(data: bytes, suffix: str) -> Path:
    handle = tempfile.NamedTemporaryFile(suffix=suffix, delete=False)  # noqa: SIM115
    with handle:
        handle.write(data)
    return Path(handle.name)


def _clean(result: Result, *, ok_codes: tuple[int, ...]) -> None:
    """Assert the command ended as designed: an exit code, or one clear operator error."""
    assert "Traceback" not in result.output
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        assert isinstance(exc, MonitorError), repr(exc)
        assert "\n" not in str(exc)
    else:
        assert result.exit_code in ok_codes, result.output


# monitor feeds parse


def _feeds_parse(data: bytes, kind: str | None) -> None:
    path = _write(data, ".feed")
    try:
        result = runner.invoke(app, ["feeds", "parse", str(path), *(["-k", kind] if kind else [])])
    finally:
        path.unlink()
    _clean(result, ok_codes=(0, 1))
    if result.exit_code == 1:
        assert len(result.stderr.splitlines()) == 1  # one clear error line
    for line in result.stdout.splitlines():
        json.loads(line, parse_constant=lambda c: (_ for _ in ()).throw(AssertionError(c)))


KINDS = st.none() | st.sampled_from(sorted(registry.KINDS))


@given(data=st.binary(max_size=3000) | spliced(), kind=KINDS)
def test_feeds_parse_never_crashes_on_bytes(data: bytes, kind: str | None) -> None:
    _feeds_parse(data, kind)


@given(value=JSON | RECORD | st.builds(lambda f: {"type": "FeatureCollection", "features": f},
                                       st.lists(RECORD, max_size=4)), kind=KINDS)  # fmt: skip
def test_feeds_parse_never_crashes_on_json(value: Any, kind: str | None) -> None:
    _feeds_parse(_json_text(value).encode(), kind)


# monitor tag


def _tag(data: bytes) -> None:
    path = _write(data, ".jsonl")
    try:
        result = runner.invoke(app, ["tag", "--input", str(path)])
    finally:
        path.unlink()
    _clean(result, ok_codes=(0,))
    out = [json.loads(line) for line in result.stdout.splitlines()]
    lines = [line for line in data.split(b"\n") if line.strip()]
    assert len(out) == len(lines)  # one output line per input line, bad or good
    assert all(isinstance(o, dict) and "id" in o for o in out)


@given(lines=st.lists(st.binary(max_size=200) | NESTED.map(str.encode), max_size=6))
def test_tag_never_crashes_on_bytes(lines: list[bytes]) -> None:
    _tag(b"\n".join(line.replace(b"\n", b" ") for line in lines))


@given(items=st.lists(JSON | RECORD, max_size=6))
def test_tag_never_crashes_on_json(items: list[Any]) -> None:
    _tag("\n".join(_json_text(i) for i in items).encode())


# monitor suppliers import


@pytest.fixture(scope="module")
def suppliers_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Point the CLI at one SQLite file for the module (the imports are dry runs)."""
    from monitor.settings import get_settings

    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'monitor.db'}"
    old = os.environ.get("MONITOR_DATABASE_URL")
    os.environ["MONITOR_DATABASE_URL"] = url
    get_settings.cache_clear()
    yield
    if old is None:
        del os.environ["MONITOR_DATABASE_URL"]
    else:
        os.environ["MONITOR_DATABASE_URL"] = old
    get_settings.cache_clear()


def _import(data: bytes, fmt: str) -> None:
    path = _write(data, f".{fmt}")
    try:
        result = runner.invoke(app, ["suppliers", "import", str(path), "--dry-run"])
    finally:
        path.unlink()
    _clean(result, ok_codes=(0, 2))


@given(data=st.binary(max_size=3000) | spliced(), fmt=st.sampled_from(["csv", "json"]))
def test_suppliers_import_never_crashes_on_bytes(data: bytes, fmt: str, suppliers_db: None) -> None:
    _import(data, fmt)


@given(records=st.lists(RECORD, max_size=5) | JSON, lines=st.booleans())
def test_suppliers_import_never_crashes_on_json(
    records: Any, lines: bool, suppliers_db: None
) -> None:
    if lines and isinstance(records, list):
        text = "\n".join(_json_text(r) for r in records)
    else:
        text = _json_text(records)
    _import(text.encode(), "json")
