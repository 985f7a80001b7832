"""`monitor feeds parse FILE`: JSON Lines on stdout, or one error line and exit code 1."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import create_cli
from tests.samples import FIXTURES

app = create_cli()
runner = CliRunner()


def test_good_file_prints_one_json_line_per_item() -> None:
    result = runner.invoke(app, ["feeds", "parse", str(FIXTURES / "gdacs/gdacs-1.xml")])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) == 4
    first = json.loads(lines[0])
    assert first["kind"] == "gdacs" and first["country_hint"] == ["MU"]
    assert first["event_hint"] == "storm" and first["severity_hint"] == "low"


def test_kind_option_is_used() -> None:
    path = FIXTURES / "cap/meteoalarm/croatia.json"
    result = runner.invoke(app, ["feeds", "parse", str(path), "--kind", "cap"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 63
    wrong = runner.invoke(app, ["feeds", "parse", str(path), "--kind", "usgs"])
    assert wrong.exit_code == 1


def test_bad_file_prints_one_error_line_and_exits_1() -> None:
    path = FIXTURES / "cap/google-cap-library/xee.cap"
    result = runner.invoke(app, ["feeds", "parse", str(path)])
    assert result.exit_code == 1
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {path}: refusing XML")
    assert "Traceback" not in result.output


def test_missing_file_and_unknown_kind(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["feeds", "parse", str(tmp_path / "nope.xml")])
    assert missing.exit_code == 1
    assert missing.stderr.strip() == f"error: {tmp_path / 'nope.xml'}: No such file or directory"
    unknown = runner.invoke(app, ["feeds", "parse", str(FIXTURES / "nws/sample.json"), "-k", "x"])
    assert unknown.exit_code == 1
    assert "unknown feed kind 'x'; known: cap, gdacs, jsonfeed, nws, rss, usgs" in unknown.stderr


def test_every_fixture_file_gives_json_lines_or_one_error_line() -> None:
    files = sorted(p for p in FIXTURES.rglob("*") if p.is_file() and p.name != "README.md")
    assert len(files) >= 2161  # the feedparser corpus (2,107) and the hazard fixtures
    failures = []
    for path in files:
        result = runner.invoke(app, ["feeds", "parse", str(path)])
        if result.exit_code == 0:
            assert all(json.loads(line)["id"] for line in result.stdout.splitlines()), path
        else:
            [line] = result.stderr.splitlines()
            assert result.exit_code == 1 and line.startswith(f"error: {path}: "), line
            assert result.stdout == ""
            failures.append(path.name)
    assert "xee.cap" in failures and len(failures) <= 20
