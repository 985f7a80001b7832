"""The `monitor suppliers` and `monitor suggest` commands, end to end on a SQLite file."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.cli import create_cli
from monitor.settings import get_settings
from tests.samples import FIXTURES, OSH, PROJECT

app = create_cli()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())
    yield CliRunner()
    get_settings.cache_clear()


def test_import_reports_rejects_and_exits_2(cli: CliRunner) -> None:
    dry = cli.invoke(app, ["suppliers", "import", str(PROJECT), "--dry-run"])
    assert dry.exit_code == 2
    assert "rejected line 4: country: unknown country 'ZZ'" in dry.stderr
    assert "would import 4 suppliers (4 new, 0 updated)" in dry.stdout
    real = cli.invoke(app, ["suppliers", "import", str(PROJECT)])
    assert "imported 4 suppliers (4 new, 0 updated)" in real.stdout
    again = cli.invoke(app, ["suppliers", "import", str(OSH)])
    assert "from a Open Supply Hub file" in again.stdout


def test_export_to_stdout(cli: CliRunner) -> None:
    cli.invoke(app, ["suppliers", "import", str(PROJECT)])
    out = cli.invoke(app, ["suppliers", "export", "-", "--format", "json"])
    assert out.exit_code == 0, out.output
    assert len(json.loads(out.stdout)) == 4


def test_demo_then_suggest(cli: CliRunner) -> None:
    loaded = cli.invoke(app, ["suppliers", "demo", "--count", "300"])
    assert "demo directory loaded: 300 new" in loaded.stdout
    args = ["suggest", "--material", "cocoa", "--exclude-country", "CI", "--json"]
    result = json.loads(
        cli.invoke(app, [*args, "--near", "-1.8,-79.5", "--radius-km", "50"]).stdout
    )
    assert result["suggestions"]
    assert all(s["country"] != "CI" and s["is_demo"] for s in result["suggestions"])
    text = cli.invoke(app, ["suggest", "--material", "cocoa", "--limit", "2"]).stdout
    assert "parts: material=" in text
    assert "[demo]" in text


def test_bad_near_is_a_clear_error(cli: CliRunner) -> None:
    from monitor.errors import MonitorError

    result = cli.invoke(app, ["suggest", "--material", "cocoa", "--near", "nowhere"])
    assert isinstance(result.exception, MonitorError)
    assert "is not LAT,LON" in str(result.exception)


def test_commands_on_an_unmigrated_database_say_so_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'fresh.db'}")
    get_settings.cache_clear()
    try:
        from monitor.errors import MonitorError

        for args in (
            ["suppliers", "export", "-"],
            ["suggest", "--material", "cocoa"],
            ["feeds", "list"],
            ["keys", "create", "--role", "admin"],
        ):
            result = CliRunner().invoke(app, args)
            assert isinstance(result.exception, MonitorError), result.output
            assert "not migrated" in str(result.exception)
            assert "run `monitor db upgrade`" in str(result.exception)
            assert "alembic" not in result.output.lower()
    finally:
        get_settings.cache_clear()


def test_repeated_import_notes_are_summarised_unless_verbose(cli: CliRunner) -> None:
    path = FIXTURES / "oshub" / "facility-list-geocoded.csv"
    quiet = cli.invoke(app, ["suppliers", "import", str(path), "--dry-run"])
    notes = [line for line in quiet.stderr.splitlines() if line.startswith("note ")]
    assert notes and len(notes) <= 5, notes
    assert any("rows: number of workers unknown, size class assumed medium" in n for n in notes)
    loud = cli.invoke(app, ["suppliers", "import", str(path), "--dry-run", "--verbose"])
    assert loud.stderr.count("note line ") > 100
