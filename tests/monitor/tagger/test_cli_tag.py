from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from monitor.cli import create_cli

app = create_cli()
runner = CliRunner()


def test_tag_reads_and_writes_json_lines(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    src = tmp_path / "items.jsonl"
    src.write_text(
        json.dumps({"id": "a", "title": "Fire halts output at chip plant", "body": "A fire."})
        + "\nthis is not json\n\n"
        + json.dumps({"title": "no id"})
        + "\n"
        + json.dumps({"id": "b", "title": "Bakery wins award", "body": ""})
        + "\n",
        encoding="utf-8",
    )
    dst = tmp_path / "out.jsonl"
    result = runner.invoke(app, ["tag", "--input", str(src), "--output", str(dst)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert [o.get("id") for o in out] == ["a", None, None, "b"]
    assert out[0]["event_type"] == "fire_explosion"
    assert out[1]["error"].startswith("invalid JSON")
    assert out[2]["error"] == "missing id"
    assert out[3]["is_disruption"] is False


def test_tag_uses_stdin_and_stdout(nlp) -> None:  # type: ignore[no-untyped-def]
    line = json.dumps({"id": "s", "title": "Typhoon shuts Busan port", "body": ""})
    result = runner.invoke(app, ["tag"], input=line + "\n")
    assert result.exit_code == 0
    assert json.loads(result.stdout)["event_type"] == "storm"


def test_tag_missing_input_is_an_operator_error(tmp_path: Path) -> None:
    result = runner.invoke(app, ["tag", "--input", str(tmp_path / "nope.jsonl")])
    assert result.exit_code != 0
    assert "cannot open" in str(result.exception)


def test_eval_prints_scores_and_errors(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    gold = {"is_disruption": True, "recovery": False, "event_type": "strike",
            "countries": ["BE"], "materials": ["cocoa"], "severity": "high"}  # fmt: skip
    body = "Cocoa shipments halted in Belgium."
    rows = [
        {"id": "g1", "title": "Antwerp dockworkers strike", "body": body, "gold": gold},
        {"id": "g2", "title": "Bakery wins award", "body": "", "gold": {**gold, "flood": 1}},
    ]
    path = tmp_path / "set.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    assert "split: set\n" in result.stdout  # no _meta line: the file's name
    assert "is_disruption F1: 0.667  [" in result.stdout
    assert "event type: 0.500  [0.095, 0.905]  (1/2 items)" in result.stdout
    assert "goal" not in result.stdout
    assert "g2\tis_disruption\texpected=True\tgot=False" in result.stdout


def test_eval_names_a_frozen_split_and_filters_sources(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    gold = {"is_disruption": False, "recovery": False, "event_type": None,
            "countries": [], "materials": [], "severity": None}  # fmt: skip
    rows = [
        {"_meta": {"split": "test", "frozen": True}},
        {"id": "w1", "title": "Bakery wins award", "body": "", "source": "written", "gold": gold},
        {"id": "r1", "title": "Museum opens", "body": "", "source": "fixture:x", "gold": gold},
    ]
    path = tmp_path / "t.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    result = runner.invoke(app, ["eval", str(path), "--only", "real"])
    assert result.exit_code == 0, result.output
    assert "split: test (frozen: never tuned on), real items only\nitems: 1\n" in result.stdout
    assert "errors: not listed for a frozen split" in result.stdout
    assert "alert P: " in result.stdout.splitlines()[2]  # what buyers feel comes first
    bad = runner.invoke(app, ["eval", str(path), "--only", "some"])
    assert bad.exit_code != 0
