"""`monitor tag` on hostile input: one error line per bad line, every good line still tagged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import create_cli
from monitor.cli import tag as tag_cli

app = create_cli()
runner = CliRunner()

GOOD = json.dumps({"id": "good", "title": "Bakery wins award", "body": "A quiet week."})
BAD_LINES = {
    "nested JSON": b"[" * 100_000 + b"]" * 100_000,
    "nested objects": b'{"id": "n", "title": ' + b'{"a":' * 5_000 + b"1" + b"}" * 5_000 + b"}",
    "Latin-1": '{"id": "l", "title": "Grève à Anvers"}'.encode("latin-1"),
    "lone UTF-16 half": b'{"id": "u", "title": "\xed\xa0\x80"}',
    "NaN": b'{"id": "nan", "title": "x", "lat": NaN}',
    "Infinity": b'{"id": "inf", "title": "x", "lon": -Infinity}',
    "overflowing number": b'{"id": "big", "title": "x", "lat": 1e999}',
    "huge integer": b'{"id": "int", "title": "x", "lat": ' + b"9" * 5000 + b"}",
    "NUL bytes": b'{"id": "z"\x00}',
    "not an object": b"[1, 2, 3]",
}


def _tag(tmp_path: Path, lines: list[bytes]) -> list[dict[str, object]]:
    src = tmp_path / "in.jsonl"
    src.write_bytes(b"\n".join(lines) + b"\n")
    result = runner.invoke(app, ["tag", "--input", str(src)])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    return [json.loads(line) for line in result.stdout.splitlines()]


@pytest.mark.parametrize("bad", sorted(BAD_LINES))
def test_a_bad_line_gets_one_error_line_and_the_rest_is_tagged(tmp_path: Path, bad: str) -> None:
    out = _tag(tmp_path, [GOOD.encode(), BAD_LINES[bad], GOOD.replace("good", "after").encode()])
    assert len(out) == 3
    assert out[0]["id"] == "good" and "error" not in out[0]
    assert isinstance(out[1]["error"], str) and "\n" not in out[1]["error"]
    assert out[2]["id"] == "after" and out[2]["is_disruption"] is False


def test_a_line_over_the_length_limit_is_refused_without_reading_it_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tag_cli, "MAX_LINE", 128)
    long = json.dumps({"id": "long", "title": "x" * 500}).encode()
    out = _tag(tmp_path, [GOOD.encode(), long, GOOD.replace("good", "after").encode()])
    assert [o.get("id") for o in out] == ["good", None, "after"]
    assert out[1]["error"] == "line longer than 128 bytes"


def test_a_tagger_failure_costs_one_item_only(monkeypatch: pytest.MonkeyPatch) -> None:
    from monitor.tagger import tag as tagger

    real = tagger.tag_items

    def fragile(items, **kwargs):  # type: ignore[no-untyped-def]
        items = list(items)
        if any(i.get("id") == "boom" for i in items):
            raise KeyError("boom")
        return real(items, **kwargs)

    monkeypatch.setattr(tagger, "tag_items", fragile)
    lines = [GOOD, json.dumps({"id": "boom", "title": "x"}), GOOD.replace("good", "after")]
    out = list(tag_cli.tag_lines(lines))
    assert [o["id"] for o in out] == ["good", "boom", "after"]
    assert out[1]["error"] == "tagging failed: KeyError"


def test_a_bom_and_windows_line_ends_are_read(tmp_path: Path) -> None:
    out = _tag(tmp_path, [b"\xef\xbb\xbf" + GOOD.encode() + b"\r"])
    assert out[0]["id"] == "good" and "error" not in out[0]
