"""Credentials in feed URLs never show: not in last_error, dead letters, listings or logs."""

from __future__ import annotations

import logging
import socket
import uuid

import pytest

from connectors.redact import RedactingFormatter, redact, redact_url
from monitor.settings import Settings
from tests import builders
from tests.connectors.test_poller import poll, reload
from tests.servers.feedserver import FeedServer, RecordingProducer

SECRET = "hunter2pw"  # nothing a client would percent-encode, so a leak is found as is


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("http://bob:hunter2@example.org/feed", "http://***@example.org/feed"),
        ("https://token@example.org:8443/a?b=c", "https://***@example.org:8443/a?b=c"),
        ("fetching HTTP://u:p%40;x@[::1]:80/x: refused", "fetching HTTP://***@[::1]:80/x: refused"),
        ("a ftp://a:b@h/ and https://c:d@h2/ too", "a ftp://***@h/ and https://***@h2/ too"),
        ("mail bob@example.org, no URL", "mail bob@example.org, no URL"),
        ("https://example.org/@user/feed", "https://example.org/@user/feed"),
        ("https://example.org/feed?who=a@b", "https://example.org/feed?who=a@b"),
    ],
)  # fmt: skip
def test_redact_hides_userinfo_only(text: str, shown: str) -> None:
    assert redact(text) == shown
    assert redact_url(None) == ""


def test_log_lines_and_tracebacks_are_redacted() -> None:
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "fetching %s", (f"http://a:{SECRET}@h/",), None
    )
    try:
        raise ValueError(f"bad http://a:{SECRET}@h/")
    except ValueError:
        import sys

        record.exc_info = sys.exc_info()
    out = RedactingFormatter("%(message)s").format(record)
    assert SECRET not in out and "http://***@h/" in out and "ValueError" in out


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


FAILURES = {
    "status": lambda s, p: s.serve(p, status=500),
    "timeout": lambda s, p: s.serve(p, delay=2.0),
    "malformed": lambda s, p: s.serve(
        p, fixture="feedparser-corpus/illformed/rss_empty_document.xml"
    ),
    "redirect loop": lambda s, p: s.serve(p, status=302, headers={"Location": p}),
    "redirect to a closed port": lambda s, p: s.serve(
        p, status=302, headers={"Location": f"http://u:{SECRET}@127.0.0.1:{_closed_port()}/"}
    ),
}


@pytest.mark.parametrize("failure", sorted(FAILURES))
async def test_credentials_never_reach_last_error_dead_letters_or_logs(
    feed_server: FeedServer,
    poll_settings: Settings,
    caplog: pytest.LogCaptureFixture,
    failure: str,
) -> None:
    p = f"/{uuid.uuid4().hex}"
    FAILURES[failure](feed_server, p)
    url = f"http://user:{SECRET}@127.0.0.1:{feed_server.port}{p}"
    feed = builders.add_feed(poll_settings, url=url, kind="rss", interval_s=600)
    producer = RecordingProducer()
    with caplog.at_level(logging.DEBUG):
        await poll(poll_settings, producer)
    error = reload(poll_settings, feed).last_error or ""
    assert error and SECRET not in error and "user:" not in error, error
    assert SECRET not in str(producer.dead_letters)
    # httpx logs the raw URL of a request that got an answer; the CLI's formatter redacts it.
    logged = [RedactingFormatter("%(message)s").format(r) for r in caplog.records]
    assert all(SECRET not in line for line in logged)


def test_feed_listings_show_no_credentials(
    poll_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from typer.testing import CliRunner

    from monitor.cli import create_cli
    from monitor.settings import get_settings

    monkeypatch.setenv("MONITOR_DATABASE_URL", poll_settings.db_url)
    get_settings.cache_clear()
    app = create_cli()
    runner = CliRunner()
    url = f"https://reader:{SECRET}@feeds.example.org/alerts.xml"
    outputs = [runner.invoke(app, ["feeds", "add", url]).output]
    outputs += [
        runner.invoke(app, args).output for args in (["feeds", "list"], ["feeds", "show", "1"])
    ]
    outputs.append(str(runner.invoke(app, ["feeds", "add", url]).exception))  # already exists
    get_settings.cache_clear()
    assert all("https://***@feeds.example.org/alerts.xml" in out for out in outputs), outputs
    assert all(SECRET not in out for out in outputs)
