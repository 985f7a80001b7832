"""Real HTTP fetches from the local fixture server: validators, redirects, limits, bombs."""

from __future__ import annotations

import gzip
import uuid
import zlib
from datetime import UTC, datetime

import pytest

from connectors.body import Decoder, FetchError
from connectors.http import fetch, make_client, max_age, retry_after
from monitor.settings import Settings
from tests.servers.feedserver import FeedServer

RSS = "rss/rss_2.0_nbcny.xml"


def path() -> str:
    return f"/{uuid.uuid4().hex}"


async def get(settings: Settings, url: str, **kwargs: str):  # type: ignore[no-untyped-def]
    async with make_client(settings) as client:
        return await fetch(client, url, settings=settings, **kwargs)


async def test_200_brings_body_validators_and_user_agent(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    url = feed_server.serve(
        p,
        fixture=RSS,
        etag='"v1"',
        headers={"Last-Modified": "Mon, 02 Sep 2024 11:38:29 GMT", "Cache-Control": "max-age=900"},
    )
    result = await get(poll_settings, url)
    assert result.status == 200
    assert result.body == feed_server.routes[p].body
    assert (result.etag, result.last_modified) == ('"v1"', "Mon, 02 Sep 2024 11:38:29 GMT")
    assert result.max_age == 900
    assert feed_server.requests[p][0]["User-Agent"] == poll_settings.fetch.user_agent


async def test_conditional_get_sends_validators_and_gets_304(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    url = feed_server.serve(p, fixture=RSS, etag='"v1"')
    result = await get(
        poll_settings, url, etag='"v1"', last_modified="Mon, 02 Sep 2024 11:38:29 GMT"
    )
    assert result.status == 304 and result.body is None
    sent = feed_server.requests[p][0]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Mon, 02 Sep 2024 11:38:29 GMT"


@pytest.mark.parametrize(("first", "second", "moved"), [(301, 308, True), (301, 302, False)])
async def test_redirects_report_a_move_only_when_every_hop_is_permanent(
    feed_server: FeedServer,
    poll_settings: Settings,
    first: int,
    second: int,
    moved: bool,
) -> None:
    a, b, c = path(), path(), path()
    final = feed_server.serve(c, fixture=RSS)
    feed_server.serve(b, status=second, headers={"Location": c})  # relative Location
    start = feed_server.serve(a, status=first, headers={"Location": feed_server.url(b)})
    result = await get(poll_settings, start)
    assert result.status == 200 and result.url == final
    assert result.moved_to == (final if moved else None)


async def test_redirect_loop_is_an_error(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    url = feed_server.serve(p, status=302, headers={"Location": p})
    with pytest.raises(FetchError, match="redirects"):
        await get(poll_settings, url)


async def test_slow_server_times_out(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    url = feed_server.serve(path(), fixture=RSS, delay=poll_settings.fetch.read_timeout_s + 1)
    with pytest.raises(FetchError, match="timed out"):
        await get(poll_settings, url)


async def test_oversize_body_is_refused(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    url = feed_server.serve(path(), body=b"<rss>" + b" " * (poll_settings.fetch.max_bytes + 1))
    with pytest.raises(FetchError, match="larger than"):
        await get(poll_settings, url)


async def test_gzip_bomb_stops_at_the_decoded_limit(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < poll_settings.fetch.max_bytes  # small on the wire, huge decoded
    url = feed_server.serve(path(), body=bomb, headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="larger than"):
        await get(poll_settings, url)


async def test_gzip_body_is_decoded(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    raw = feed_server.serve("/plain-for-gzip", fixture=RSS)
    body = feed_server.routes["/plain-for-gzip"].body
    url = feed_server.serve(path(), body=gzip.compress(body), headers={"Content-Encoding": "gzip"})
    assert (await get(poll_settings, url)).body == body
    assert raw  # the plain route exists too, for comparison when debugging


def test_decoder_caps_every_inflate_call() -> None:
    decoder = Decoder("deflate", limit=1000)
    with pytest.raises(FetchError, match="larger than 1000"):
        decoder.feed(zlib.compress(b"a" * 10_000))
    assert decoder.size <= 1001


def test_decoder_refuses_unknown_encodings() -> None:
    with pytest.raises(FetchError, match="unsupported Content-Encoding"):
        Decoder("br", limit=10)


def test_cache_control_and_retry_after_parsing() -> None:
    assert max_age("public, max-age=300") == 300
    assert max_age("no-cache") is None and max_age(None) is None
    assert retry_after("120") == 120.0
    now = datetime(2024, 9, 2, 11, 0, tzinfo=UTC)
    assert retry_after("Mon, 02 Sep 2024 11:10:00 GMT", now) == 600.0
    assert retry_after("soon") is None
