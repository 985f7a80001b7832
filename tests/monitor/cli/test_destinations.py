"""`monitor destinations`: add (URL prompted, hidden), list masked, remove."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor import db
from monitor.cli import create_cli
from monitor.errors import NotFound
from monitor.settings import get_settings
from tests.builders import add_buyer

app = create_cli()
URL = "https://hooks.slack.com/services/T1/B2/veryS3cretWXYZ"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("MONITOR_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    db.upgrade(get_settings())
    yield CliRunner()
    get_settings.cache_clear()


def test_add_list_remove_never_print_the_url(cli: CliRunner) -> None:
    buyer = add_buyer(get_settings()).id
    added = cli.invoke(app, ["destinations", "add", str(buyer), "slack"], input=URL + "\n")
    assert added.exit_code == 0, added.output
    assert "hooks.slack.com/…WXYZ" in added.stdout and "S3cret" not in added.output
    listed = cli.invoke(app, ["destinations", "list", str(buyer)])
    [line] = listed.stdout.splitlines()
    destination_id, kind, hint = line.split("\t")
    assert (kind, hint) == ("slack", "hooks.slack.com/…WXYZ")
    removed = cli.invoke(app, ["destinations", "remove", str(buyer), destination_id])
    assert removed.exit_code == 0 and "removed destination" in removed.stdout
    assert cli.invoke(app, ["destinations", "list", str(buyer)]).stdout == ""


def test_a_bad_kind_or_an_unknown_buyer_is_an_error(cli: CliRunner) -> None:
    buyer = add_buyer(get_settings()).id
    bad = cli.invoke(app, ["destinations", "add", str(buyer), "discord", "--url", URL])
    assert bad.exit_code != 0 and "kind" in str(bad.exception)
    unknown = cli.invoke(app, ["destinations", "list", "999"])
    assert isinstance(unknown.exception, NotFound)
