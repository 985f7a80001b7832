"""`monitor watches backtest` prints each would-be alert and the count, and refuses a bad since."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.buyers import service as buyers
from monitor.cli import create_cli
from monitor.columns import utcnow
from monitor.errors import InvalidInput
from monitor.incidents.store import save_incidents
from monitor.models import WatchCreate
from monitor.settings import Settings, get_settings
from tests.builders import add_buyer, gdacs_incident


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())
    yield get_settings()
    get_settings.cache_clear()


def test_backtest_prints_the_alerts_and_the_count(settings: Settings) -> None:
    seen = utcnow().isoformat()
    with db.session_scope(settings) as session:
        save_incidents(session, [gdacs_incident(last_seen=seen),
                                 gdacs_incident(id="inc-fj", countries=["FJ"], places=[],
                                                last_seen=seen)])  # fmt: skip
    buyer = add_buyer(settings)
    with db.session_scope(settings) as session:
        data = WatchCreate(name="sugar", materials=["sugar"], countries=["MU"])
        watch = buyers.create_watch(session=session, buyer_id=buyer.id or 0, data=data)
    result = CliRunner().invoke(create_cli(), ["watches", "backtest", str(watch.id)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 2 and "inc-gdacs-1000643" in lines[0] and "sugar" in lines[0]
    assert lines[1].startswith("1 alert(s) from 2 incident(s)")
    bad = CliRunner().invoke(create_cli(), ["watches", "backtest", str(watch.id), "--since", "x"])
    assert isinstance(bad.exception, InvalidInput)
