"""Hostile supplier files: any encoding, over-long fields, nesting, non-finite numbers, formulas."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.cli import create_cli
from monitor.settings import Settings, get_settings
from monitor.suppliers import formats, service
from monitor.suppliers.exporter import export_stream
from monitor.suppliers.importer import import_file, import_stream
from monitor.suppliers.models import SupplierCreate

app = create_cli()

HEADER = "external_id,name,country,city,lat,lon,materials,capacity_monthly,contact,notes"
ROW = "h-{n},{name},FR,Lyon,45.76,4.84,cocoa,{capacity},{contact},{notes}"


def _csv(*rows: dict[str, object]) -> str:
    lines = [HEADER]
    for n, row in enumerate(rows, start=1):
        fields = {"name": f"Atelier {n}", "capacity": 10, "contact": "", "notes": "", **row}
        lines.append(ROW.format(n=n, **fields))
    return "\n".join(lines) + "\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())  # the supplier commands never migrate (`monitor db upgrade` does)
    yield CliRunner()
    get_settings.cache_clear()


@pytest.mark.parametrize(
    ("codec", "note"),
    [
        ("utf-8", None),
        ("utf-8-sig", None),
        ("latin-1", "not UTF-8: read as Windows-1252/Latin-1"),
        ("cp1252", "not UTF-8: read as Windows-1252/Latin-1"),
        ("utf-16", None),  # with a byte-order mark
        ("utf-16-le", "read as UTF-16-LE (no byte-order mark)"),
        ("utf-16-be", "read as UTF-16-BE (no byte-order mark)"),
        ("utf-32", None),
    ],
)
def test_any_common_encoding_imports(
    db_settings: Settings, tmp_path: Path, codec: str, note: str | None
) -> None:
    path = tmp_path / "suppliers.csv"
    path.write_bytes(
        _csv({"name": "Chocolaterie Bézier"}, {"name": "Grève Coopérative"}).encode(codec)
    )
    with db.session_scope(db_settings) as s:
        report = import_file(session=s, path=path)
        names = sorted(p.name for p in service.list_public(session=s))
    assert report.errors == [] and report.created == 2
    assert names == ["Chocolaterie Bézier", "Grève Coopérative"]
    notes = [str(w) for w in report.warnings if "encod" in str(w) or "read as" in str(w)]
    assert (note in notes[0]) if note else notes == [], notes


def test_a_field_over_the_csv_limit_costs_its_line_only(db_settings: Settings) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    text = _csv({}, {"notes": huge}, {})
    with db.session_scope(db_settings) as s:
        report = import_stream(session=s, stream=io.StringIO(text), fmt="csv", dry_run=True)
    assert report.created == 2
    [error] = report.errors
    assert "unreadable CSV: field larger than field limit" in error.reason


@pytest.mark.parametrize("value", ["inf", "-inf", "nan", "NaN", "1e999", "Infinity"])
def test_non_finite_numbers_are_refused_in_csv(db_settings: Settings, value: str) -> None:
    text = _csv({"capacity": value}, {})
    with db.session_scope(db_settings) as s:
        report = import_stream(session=s, stream=io.StringIO(text), fmt="csv", dry_run=True)
    assert report.created == 1
    assert "capacity_monthly: Input should be a finite number" in report.errors[0].reason


@pytest.mark.parametrize("value", ["Infinity", "-Infinity", "NaN", "1e999"])
def test_non_finite_numbers_are_refused_in_json(db_settings: Settings, value: str) -> None:
    good = {"name": "A", "country": "FR", "materials": ["cocoa"], "lat": 1.0, "lon": 2.0}
    lines = [json.dumps(good), json.dumps(good).replace('"lat": 1.0', f'"lat": {value}')]
    with db.session_scope(db_settings) as s:
        report = import_stream(session=s, stream=io.StringIO("\n".join(lines)), fmt="json")
    assert report.created == 1 and report.errors[0].where == "line 2"
    assert report.errors[0].reason.startswith("not valid JSON")


def test_nested_json_is_one_clear_error(cli: CliRunner, tmp_path: Path) -> None:
    array = tmp_path / "deep.json"
    array.write_text("[" * 100_000 + "]" * 100_000)
    result = cli.invoke(app, ["suppliers", "import", str(array)])
    assert "not a valid JSON array: nested too deeply" in str(result.exception)
    lines = tmp_path / "deep.jsonl"
    good = {"name": "A", "country": "FR", "materials": ["cocoa"]}
    deep = {
        "name": "B",
        "country": "FR",
        "materials": [[[[["cocoa"]]]]] * 2,
        "x": [[[[[[]]]]]] * 20,
    }
    deep["x"] = json.loads("[" * 200 + "]" * 200)
    lines.write_text(json.dumps(good) + "\n" + json.dumps(deep) + "\n")
    result = cli.invoke(app, ["suppliers", "import", str(lines)])
    assert result.exit_code == 2, result.output
    assert "rejected line 2: not valid JSON (nested more than 64 levels deep)" in result.stderr


def test_a_file_over_the_size_limit_is_refused(
    cli: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 100)
    path = tmp_path / "big.csv"
    path.write_text(_csv({}, {}, {}))
    result = cli.invoke(app, ["suppliers", "import", str(path)])
    assert "file larger than the 100-byte limit" in str(result.exception)


FORMULAS = ["=HYPERLINK(\"http://x\",\"y\")", "+1 555 0100", "-2+3", "@SUM(A1)", "\tx", "\rx",
            "'=already quoted", "''+twice"]  # fmt: skip


def test_csv_export_neutralises_formulas_and_keeps_the_stored_value(db_settings: Settings) -> None:
    records = [
        {"external_id": f"f-{n}", "name": f"Atelier {n}", "country": "FR", "city": "Lyon",
         "lat": 45.76, "lon": -4.84, "materials": ["cocoa"], "contact": value, "notes": value}
        for n, value in enumerate(FORMULAS)
    ]  # fmt: skip
    with db.session_scope(db_settings) as s:  # as the API stores them: no stripping
        for record in records:
            service.upsert(session=s, data=SupplierCreate.model_validate(record))
        out = io.StringIO()
        export_stream(session=s, stream=out, fmt="csv")
        stored = {p.external_id: p.contact for p in service.list_public(session=s)}
    assert stored == {f"f-{n}": value for n, value in enumerate(FORMULAS)}  # intact in the DB
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    for row in rows:
        for name, cell in row.items():
            assert name in ("lat", "lon") or not cell.startswith(formats.FORMULA_STARTS), cell
        assert row["lon"] == "-4.84"  # numbers are numbers, not neutralised text
    assert rows[0]["contact"] == "'" + FORMULAS[0]
    with db.session_scope(db_settings) as s:  # and the export imports back to the same values
        report = import_stream(session=s, stream=io.StringIO(out.getvalue()), fmt="csv")
        again = {p.external_id: p.contact for p in service.list_public(session=s)}
    # The importer trims surrounding whitespace (as from any file), so "\tx" comes back "x".
    assert report.errors == [] and again == {k: v.strip() for k, v in stored.items()}


def test_export_never_writes_infinity(db_settings: Settings) -> None:
    # A row stored before non-finite numbers were refused still exports as valid JSON.
    from monitor.models import Supplier

    with db.session_scope(db_settings) as s:
        s.add(Supplier(name="Old", country="FR", capacity_monthly=float("inf")))
    with db.session_scope(db_settings) as s:
        as_json, as_csv = io.StringIO(), io.StringIO()
        export_stream(session=s, stream=as_json, fmt="json")
        export_stream(session=s, stream=as_csv, fmt="csv")
    [record] = json.loads(as_json.getvalue(), parse_constant=lambda c: pytest.fail(c))
    assert record["capacity_monthly"] is None
    [row] = csv.DictReader(io.StringIO(as_csv.getvalue()))
    assert row["capacity_monthly"] == ""


@pytest.mark.parametrize(
    "args",
    [["--quantity", "inf"], ["--radius-km", "nan", "--near", "1,2"], ["--near", "nan,2"],
     ["--near", "1,inf"]],
)  # fmt: skip
def test_suggest_refuses_non_finite_numbers(cli: CliRunner, args: list[str]) -> None:
    from monitor.errors import MonitorError

    result = cli.invoke(app, ["suggest", "--material", "cocoa", *args])
    assert isinstance(result.exception, MonitorError)
    assert "finite" in str(result.exception)
