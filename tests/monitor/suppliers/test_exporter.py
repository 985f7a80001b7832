"""Exporting the directory and importing the export again changes nothing."""

from __future__ import annotations

import io
import json

import pytest

from monitor import db
from monitor.settings import Settings
from monitor.suppliers import service
from monitor.suppliers.exporter import export_stream
from monitor.suppliers.importer import import_file, import_stream
from tests.samples import PROJECT


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_then_import_is_a_no_op(db_settings: Settings, fmt: str) -> None:
    with db.session_scope(db_settings) as s:
        import_file(session=s, path=PROJECT)
        before = [p.model_dump(exclude={"updated_at"}) for p in service.list_public(session=s)]
        out = io.StringIO()
        assert export_stream(session=s, stream=out, fmt=fmt) == 4
    if fmt == "json":
        assert json.loads(out.getvalue())[0]["materials"] == ["cocoa"]
    with db.session_scope(db_settings) as s:
        report = import_stream(session=s, stream=io.StringIO(out.getvalue()), fmt=fmt)
        after = [p.model_dump(exclude={"updated_at"}) for p in service.list_public(session=s)]
    assert (report.created, report.updated, report.errors) == (0, 4, [])
    assert after == before
