"""`monitor keys create|revoke`: the key alone on stdout, roles checked, revocation at once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.cli import create_cli
from monitor.errors import MonitorError
from monitor.keys import service as apikeys
from monitor.settings import get_settings

app = create_cli()


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'keys.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())
    yield CliRunner()
    get_settings.cache_clear()


def test_create_prints_the_key_alone_and_it_verifies(cli: CliRunner) -> None:
    out = cli.invoke(app, ["keys", "create", "--role", "operator"])
    assert out.exit_code == 0, out.output
    key = out.stdout.strip()
    assert out.stdout == key + "\n" and key.startswith("smk_")
    assert "operator key" in out.stderr
    with db.session_scope(get_settings()) as s:
        who = apikeys.Verifier().principal(session=s, key=key)
    assert who is not None and who.role == "operator" and who.buyer_id is None
    revoked = cli.invoke(app, ["keys", "revoke", key.split("_")[1]])
    assert revoked.exit_code == 0
    with db.session_scope(get_settings()) as s:
        assert apikeys.Verifier().principal(session=s, key=key) is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "root"], "unknown role"),
        (["--role", "buyer"], "needs --buyer"),
        (["--role", "admin", "--buyer", "1"], "only a buyer key"),
        (["--role", "buyer", "--buyer", "42"], "no buyer with id 42"),
    ],
)
def test_create_refuses_bad_roles(cli: CliRunner, args: list[str], message: str) -> None:
    out = cli.invoke(app, ["keys", "create", *args])
    assert isinstance(out.exception, MonitorError) and message in str(out.exception)
    assert out.stdout == ""
