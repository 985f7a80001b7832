"""The `monitor feeds …` commands (the feeds service's own tests: tests/monitor/feeds/)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from monitor.cli import create_cli
from monitor.settings import Settings, get_settings
from tests import builders
from tests.servers.feedserver import FeedServer

app = create_cli()

RSS = "rss/rss_2.0_nbcny.xml"


@pytest.fixture
def cli(poll_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    """A CLI runner whose settings are the poll settings."""
    monkeypatch.setenv("MONITOR_DATABASE_URL", poll_settings.db_url)
    monkeypatch.setenv(
        "MONITOR_FETCH_ALLOW_PRIVATE_HOSTS", json.dumps(poll_settings.fetch.allow_private_hosts)
    )
    get_settings.cache_clear()
    yield CliRunner()
    get_settings.cache_clear()


def test_cli_add_list_show_check_remove(
    cli: CliRunner,
    feed_server: FeedServer,
) -> None:
    url = feed_server.serve(f"/{uuid.uuid4().hex}", fixture=RSS)
    out = cli.invoke(app, ["feeds", "add", url, "--name", "NBC NY", "--interval", "300"])
    assert out.exit_code == 0, out.output
    assert out.output.startswith("added feed 1:")
    listed = cli.invoke(app, ["feeds", "list"]).output
    assert "new" in listed and url in listed
    shown = cli.invoke(app, ["feeds", "show", "1"]).output
    for line in (
        "last fetch:         never",
        "failures in a row:  0",
        "items produced:     0",
        "publishes every:    not known yet",
    ):
        assert line in shown
    checked = cli.invoke(app, ["feeds", "check", url])
    assert checked.exit_code == 0 and "would be produced" in checked.output
    assert "\nnew  {" in checked.output
    assert cli.invoke(app, ["feeds", "remove", "1"]).exit_code == 0
    assert "no feeds yet" in cli.invoke(app, ["feeds", "list"]).output


def test_cli_check_shows_an_error_in_words(cli: CliRunner, feed_server: FeedServer) -> None:
    url = feed_server.serve(f"/{uuid.uuid4().hex}", status=404)
    out = cli.invoke(app, ["feeds", "check", url])
    assert out.exit_code == 1 and "error: HTTP 404 Not Found" in out.output


def test_cli_once_polls_into_the_health_record(
    cli: CliRunner,
    feed_server: FeedServer,
    poll_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from connectors import producer

    produced: list[str] = []
    monkeypatch.setattr(
        producer.ItemProducer,
        "produce",
        lambda self, items: (produced.extend(i.id for i in items) or list(items), None),
    )
    url = feed_server.serve(f"/{uuid.uuid4().hex}", fixture=RSS)
    feed = builders.add_feed(poll_settings, url=url)
    out = cli.invoke(app, ["connectors", "run", "--once"])
    assert out.exit_code == 0, out.output
    after = builders.get_feed(poll_settings, feed.id or 0)
    assert after.items_produced == len(produced) > 0 and after.last_status == 200
    assert "status code:        200" in cli.invoke(app, ["feeds", "show", str(feed.id)]).output


def test_cli_refuses_a_bad_shard(cli: CliRunner) -> None:
    out = cli.invoke(app, ["connectors", "run", "--shard", "3/2"])
    assert out.exit_code != 0 and "need 0 <= i < n" in str(out.exception)


def test_cli_catalogue_lists_and_adds_a_group_once(cli: CliRunner) -> None:
    from monitor.feeds import catalogue

    listed = cli.invoke(app, ["feeds", "catalogue", "list", "--group", "hazards"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith("hazards:\n") and "not checked from here" in listed.output
    assert "https://www.gdacs.org/xml/rss.xml" in listed.output and "maritime:" not in listed.output
    added = cli.invoke(app, ["feeds", "catalogue", "add", "--group", "canals"])
    canals = catalogue.select_entries(group="canals")
    assert added.exit_code == 0 and f"{len(canals)} added, 0 already registered" in added.output
    again = cli.invoke(app, ["feeds", "catalogue", "add", "--group", "canals"]).output
    assert f"0 added, {len(canals)} already registered" in again
    assert canals[0].url in cli.invoke(app, ["feeds", "list"]).output
    refused = cli.invoke(app, ["feeds", "catalogue", "add"])
    assert refused.exit_code == 1 and "give a group (--group G) or all (--all)" in str(
        refused.exception
    )


def test_cli_import_list_tags_and_export(cli: CliRunner, tmp_path) -> None:
    from tests.samples import FIXTURES

    imported = cli.invoke(app, ["feeds", "import", str(FIXTURES / "opml/freshrss.opml.xml")])
    assert imported.exit_code == 0, imported.output
    assert "6 feeds listed, 6 added, 0 duplicates skipped" in imported.output
    listed = cli.invoke(app, ["feeds", "list"]).output
    assert "https://www.nhc.noaa.gov/index-at.xml  [Hazards, hurricanes, weather/tropical]" in (
        listed
    )
    out = tmp_path / "feeds.opml"
    written = cli.invoke(app, ["feeds", "export", "--format", "opml", str(out)])
    assert written.exit_code == 0 and "wrote 6 feeds" in written.output
    assert out.read_bytes().count(b"xmlUrl=") == 6
    to_stdout = cli.invoke(app, ["feeds", "export"])
    assert to_stdout.output.startswith("<?xml") and "Hazards" in to_stdout.output
    again = cli.invoke(app, ["feeds", "import", str(out)])
    assert "6 feeds listed, 0 added, 6 duplicates skipped" in again.output
    bad = tmp_path / "bad.opml"
    bad.write_bytes(b"<rss/>")
    refused = cli.invoke(app, ["feeds", "import", str(bad)])
    assert refused.exit_code == 1 and "root element is <rss>" in str(refused.exception)


def test_cli_lists_a_paused_feed_with_its_reason_and_reset_errors_resumes_it(
    cli: CliRunner, poll_settings: Settings
) -> None:
    feed = builders.add_feed(poll_settings, url="https://a.example/feed")
    other = builders.add_feed(poll_settings, url="https://b.example/feed")
    for fid in (feed.id, other.id):
        builders.pause_feed(poll_settings, fid or 0, "paused after 10 errors in a row (HTTP 500)")
    listed = cli.invoke(app, ["feeds", "list"]).output
    assert "paused" in listed and "(paused after 10 errors in a row (HTTP 500))" in listed
    out = cli.invoke(app, ["feeds", "reset-errors", str(feed.id)])
    assert out.exit_code == 0 and f"reset feed {feed.id}:" in out.output and "(now " in out.output
    assert builders.get_feed(poll_settings, feed.id or 0).paused_at is None
    everything = cli.invoke(app, ["feeds", "reset-errors", "--all"])
    assert everything.exit_code == 0 and "1 feed(s) reset" in everything.output
    assert "paused" not in cli.invoke(app, ["feeds", "list"]).output
    for wrong in ([], [str(feed.id), "--all"]):
        assert cli.invoke(app, ["feeds", "reset-errors", *wrong]).exit_code == 2
