"""`monitor eval --export-feedback`: false-alarm items and missed events as unlabelled
dev-set candidates, buyers' notes only when asked for."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.cli import create_cli
from monitor.feedback import service
from monitor.feedback.export import candidates
from monitor.feedback.models import FalseAlarmReport, MissedEventCreate
from monitor.models import Alert
from monitor.settings import Settings, get_settings
from tests.builders import add_buyer

NOTE = "Our supplier is in Sfax, not Sousse"
DEV = Path(__file__).parents[2] / "data" / "prose" / "dev.jsonl"


def _source(item: str) -> dict[str, object]:
    return {"item_id": item, "url": f"https://news.example/{item}", "title": f"Strike {item}",
            "published": "2026-12-01T08:00:00+00:00", "feed_id": 1}  # fmt: skip


def fill(settings: Settings) -> None:
    """Three alerts (two false alarms sharing a report, one not) and two missed events."""
    buyer = add_buyer(settings).id or 0
    with db.session_scope(settings) as s:
        ids = []
        for n, items in enumerate((["i1", "i2"], ["i2"], ["i3"])):
            incident = {"id": f"inc-{n}", "event_type": "strike", "severity": "high",
                        "countries": ["TN"], "materials": [{"name": "olive oil"}],
                        "sources": [_source(i) for i in items]}  # fmt: skip
            alert = Alert(buyer_id=buyer, incident_id=f"inc-{n}", severity="high",
                          incident=incident, feed_ids=[1])  # fmt: skip
            s.add(alert)
            s.flush()
            ids.append(alert.id or 0)
        for alert_id, reason in zip(ids[:2], ("wrong_place", "duplicate"), strict=True):
            report = FalseAlarmReport(reason=reason, note=NOTE)  # type: ignore[arg-type]
            service.mark_false_alarm(session=s, alert_id=alert_id, report=report)
        for _ in range(2):
            data = MissedEventCreate(url="https://news.example/missed", note=NOTE)
            service.report_missed(session=s, buyer_id=buyer, data=data)


def test_candidates_have_the_dev_set_fields_and_no_notes(db_settings: Settings) -> None:
    fill(db_settings)
    with db.session_scope(db_settings) as s:
        rows = list(candidates(session=s))
        with_notes = list(candidates(session=s, with_notes=True))
    assert [r["id"] for r in rows][:2] == ["i1", "i2"]
    assert len(rows) == 3  # i3's alert is no false alarm; the missed URL counts once
    by_id = {r["id"]: r for r in rows}
    assert by_id["i2"]["hint"]["reasons"] == {"wrong_place": 1, "duplicate": 1}
    assert by_id["i1"]["hint"]["tagged"]["countries"] == ["TN"]
    assert by_id["i1"]["title"] == "Strike i1" and by_id["i1"]["gold"] is None
    missed = rows[2]
    assert missed["url"] == "https://news.example/missed"
    assert missed["hint"]["reasons"] == {"missed": 2} and missed["id"].startswith("missed-")
    dev_fields = set(json.loads(DEV.read_text(encoding="utf-8").splitlines()[0]))
    assert {"id", "title", "body", "url", "publisher", "licence", "style", "gold"} <= dev_fields
    for row in rows:
        assert dev_fields - {"label_note"} <= set(row)
        assert NOTE not in json.dumps(row)
    assert with_notes[1]["hint"]["notes"] == [NOTE, NOTE]


@pytest.fixture
def cli_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())
    yield get_settings()
    get_settings.cache_clear()


def test_eval_export_feedback_writes_jsonl(cli_settings: Settings, tmp_path: Path) -> None:
    fill(cli_settings)
    out = tmp_path / "candidates.jsonl"
    result = CliRunner().invoke(create_cli(), ["eval", "--export-feedback", str(out)])
    assert result.exit_code == 0, result.output
    assert "wrote 2 false-alarm item(s) and 1 missed event(s)" in result.output
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [line["source"] for line in lines] == ["feedback:false_alarm"] * 2 + [
        "feedback:missed_event"
    ]
    assert NOTE not in out.read_text(encoding="utf-8")
    noted = CliRunner().invoke(
        create_cli(), ["eval", "--export-feedback", str(out), "--with-notes"]
    )
    assert noted.exit_code == 0 and NOTE in out.read_text(encoding="utf-8")
    both = CliRunner().invoke(create_cli(), ["eval", str(DEV), "--export-feedback", str(out)])
    assert both.exit_code != 0 and "not both" in str(both.exception)
    neither = CliRunner().invoke(create_cli(), ["eval"])
    assert neither.exit_code != 0 and "give a labelled FILE" in str(neither.exception)
