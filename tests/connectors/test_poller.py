"""The poller against the real local HTTP server: kinds, validators, redirects, errors, health."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session

from connectors import registry
from connectors.dedup import SeenIndex
from connectors.poller import Poller, RoundStats, parse_shard
from monitor.db import get_engine
from monitor.models import Feed
from monitor.settings import Settings
from tests import builders
from tests.samples import FIXTURES
from tests.servers.feedserver import FeedServer, RecordingProducer

# One real fixture per registered kind (a test below checks none is missing).
KIND_FIXTURES = {
    "rss": "rss/rss_2.0_nbcny.xml",
    "gdacs": "gdacs/gdacs-1.xml",
    "usgs": "usgs/earthquakes-1.json",
    "cap": "cap/oasis/example2.xml",
    "nws": "nws/sample.json",
    "jsonfeed": "feedparser-corpus/json/example.json",
}


def path() -> str:
    return f"/{uuid.uuid4().hex}"


def add(settings: Settings, url: str, kind: str | None = None) -> Feed:
    return builders.add_feed(settings, url=url, kind=kind, interval_s=600)


async def poll(settings: Settings, producer: RecordingProducer) -> RoundStats:
    return await Poller(settings, engine=get_engine(settings), producer=producer).poll_round()


def reload(settings: Settings, feed: Feed) -> Feed:
    return builders.get_feed(settings, feed.id or 0)


def make_due(settings: Settings, feed: Feed) -> None:
    with Session(get_engine(settings)) as session:
        row = session.get(Feed, feed.id)
        assert row is not None
        row.next_poll_at = None
        session.add(row)
        session.commit()


def expected_ids(fixture: str, feed: Feed, kind: str) -> set[str]:
    body = (FIXTURES / fixture).read_bytes()
    return {i.id for i in registry.parse(body, kind=kind, feed_id=feed.id, url=feed.url)}


def test_every_registered_kind_has_a_fixture() -> None:
    assert sorted(KIND_FIXTURES) == sorted(registry.KINDS)


@pytest.mark.parametrize("kind", sorted(KIND_FIXTURES))
@pytest.mark.parametrize("given", [True, False], ids=["kind-given", "kind-detected"])
async def test_every_kind_is_fetched_parsed_and_produced(
    feed_server: FeedServer,
    poll_settings: Settings,
    kind: str,
    given: bool,
) -> None:
    fixture = KIND_FIXTURES[kind]
    feed = add(poll_settings, feed_server.serve(path(), fixture=fixture), kind if given else None)
    producer = RecordingProducer()
    stats = await poll(poll_settings, producer)
    want = expected_ids(fixture, feed, kind)
    assert want and {i.id for i in producer.produced} == want
    assert stats == RoundStats(polled=1, failed=0, produced=len(want))
    after = reload(poll_settings, feed)
    assert (after.kind, after.items_produced, after.last_status) == (kind, len(want), 200)


async def test_304_parses_and_produces_nothing(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    feed = add(poll_settings, feed_server.serve(p, fixture=KIND_FIXTURES["rss"], etag='"e1"'))
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    produced = len(producer.produced)
    assert produced > 0 and reload(poll_settings, feed).etag == '"e1"'
    make_due(poll_settings, feed)
    poller = Poller(poll_settings, engine=get_engine(poll_settings), producer=producer)
    calls: list[int] = []
    real_parse = poller.handler.parse
    poller.handler.parse = lambda f, r: calls.append(1) or real_parse(f, r)  # type: ignore[func-returns-value]
    await poller.poll_round()
    assert feed_server.requests[p][-1]["If-None-Match"] == '"e1"'
    assert calls == [] and len(producer.produced) == produced
    after = reload(poll_settings, feed)
    assert (after.last_status, after.consecutive_failures, after.items_produced) == (
        304,
        0,
        produced,
    )


async def test_items_are_produced_once_across_polls_and_restarts(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    feed = add(poll_settings, feed_server.serve(path(), fixture="rss/rss_1.0_debian.xml"))
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    first = [i.id for i in producer.produced]
    assert first
    for _ in range(2):  # a second poll, then a brand-new poller (a restart)
        make_due(poll_settings, feed)
        await poll(poll_settings, producer)
    assert [i.id for i in producer.produced] == first
    assert SeenIndex(get_engine(poll_settings)).seen(first) == set(first)


async def test_permanent_redirect_updates_the_stored_url(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    new = feed_server.serve(path(), fixture=KIND_FIXTURES["rss"])
    old = feed_server.serve(path(), status=301, headers={"Location": new})
    temp = feed_server.serve(path(), status=307, headers={"Location": new})
    moved, kept = add(poll_settings, old), add(poll_settings, temp)
    await poll(poll_settings, RecordingProducer())
    assert reload(poll_settings, moved).url == new
    assert reload(poll_settings, kept).url == temp


async def test_410_disables_the_feed(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    feed = add(poll_settings, feed_server.serve(p, status=410))
    await poll(poll_settings, RecordingProducer())
    after = reload(poll_settings, feed)
    assert not after.enabled and after.last_status == 410
    assert "410 Gone" in (after.disabled_reason or "")
    make_due(poll_settings, feed)
    await poll(poll_settings, RecordingProducer())
    assert len(feed_server.requests[p]) == 1  # never polled again


@pytest.mark.parametrize("status", [429, 503])
async def test_retry_after_sets_the_next_poll(
    feed_server: FeedServer,
    poll_settings: Settings,
    status: int,
) -> None:
    feed = add(
        poll_settings, feed_server.serve(path(), status=status, headers={"Retry-After": "7200"})
    )
    await poll(poll_settings, RecordingProducer())
    after = reload(poll_settings, feed)
    assert after.last_fetch_at and after.next_poll_at
    assert after.next_poll_at - after.last_fetch_at >= timedelta(seconds=7200)
    assert after.consecutive_failures == 1 and after.last_status == status
    assert f"HTTP {status}" in (after.last_error or "") and "retry after 7200s" in after.last_error


async def test_health_records_failures_in_words_then_recovers(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    feed = add(poll_settings, feed_server.serve(p, fixture=KIND_FIXTURES["rss"], delay=2.0))
    producer = RecordingProducer()
    for failures in (1, 2):
        await poll(poll_settings, producer)
        after = reload(poll_settings, feed)
        assert after.consecutive_failures == failures and "timed out" in (after.last_error or "")
        assert after.last_success_at is None and after.last_status is None
        make_due(poll_settings, feed)
    feed_server.routes[p].delay = 0
    await poll(poll_settings, producer)
    after = reload(poll_settings, feed)
    assert after.consecutive_failures == 0 and after.last_error is None
    assert after.last_success_at == after.last_fetch_at and after.items_produced > 0


async def test_malformed_xml_is_reported_and_dead_lettered(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    fixture = "feedparser-corpus/illformed/rss_empty_document.xml"
    feed = add(poll_settings, feed_server.serve(path(), fixture=fixture), "rss")
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    after = reload(poll_settings, feed)
    assert (after.last_error or "").startswith("cannot parse the feed: ")
    assert "no element found" in (after.last_error or "")
    assert producer.produced == []
    assert producer.dead_letters == [
        {"feed_id": feed.id, "url": feed.url, "error": after.last_error}
    ]


async def test_xml_bomb_is_refused(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    laughs = "".join(f'<!ENTITY l{n} "{f"&l{n - 1};" * 10}">' for n in range(1, 10))
    bomb = f'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY l0 "lol">{laughs}]>'
    bomb += "<rss><channel><item><title>&l9;</title></item></channel></rss>"
    feed = add(poll_settings, feed_server.serve(path(), body=bomb.encode()), "rss")
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    assert "XML bomb" in (reload(poll_settings, feed).last_error or "")
    assert producer.produced == []


async def test_wrong_declared_charset_still_reads_the_text(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    # An ISO-8859-1 feed served as UTF-8: the bytes say otherwise, the item must still be read.
    url = feed_server.serve(
        path(),
        fixture="rss/rss_2.0_encoding_1.xml",
        headers={"Content-Type": "application/rss+xml; charset=utf-8"},
    )
    add(poll_settings, url)
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    assert producer.produced
    text = " ".join(i.title + i.body for i in producer.produced)
    assert "\ufffd" not in text and any(c in text for c in "çãéíóú")


async def test_private_address_is_refused_in_the_health_record(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    strict = poll_settings.updated(fetch={"allow_private_hosts": []})
    p = path()
    feed = add(strict, feed_server.serve(p, fixture=KIND_FIXTURES["rss"]))
    await poll(strict, RecordingProducer())
    assert "MONITOR_FETCH_ALLOW_PRIVATE_HOSTS" in (reload(strict, feed).last_error or "")
    assert feed_server.requests[p] == []


async def test_kafka_failure_marks_nothing_seen_and_keeps_old_validators(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    feed = add(poll_settings, feed_server.serve(path(), fixture=KIND_FIXTURES["rss"], etag='"e"'))
    await poll(poll_settings, RecordingProducer(fail=True))
    after = reload(poll_settings, feed)
    assert after.etag is None and after.items_produced == 0
    assert "Kafka did not acknowledge" in (after.last_error or "")
    assert SeenIndex(get_engine(poll_settings)).count() == 0
    make_due(poll_settings, feed)
    producer = RecordingProducer()
    await poll(poll_settings, producer)  # the same items, now delivered
    assert len(producer.produced) == reload(poll_settings, feed).items_produced > 0


async def test_per_host_limit_bounds_parallel_requests(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"per_host": 2})
    group = path()
    for _ in range(6):
        url = feed_server.serve(path(), fixture=KIND_FIXTURES["rss"], delay=0.2, group=group)
        add(settings, url)
    stats = await poll(settings, RecordingProducer())
    assert stats.polled == 6 and stats.failed == 0
    assert feed_server.peak[group] == 2


async def test_shards_split_the_feeds(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    added = [add(poll_settings, feed_server.serve(path(), status=404)) for _ in range(5)]
    engine, now = get_engine(poll_settings), datetime.now(UTC)
    shards = [
        {f.id for f in Poller(poll_settings, engine=engine, producer=None, shard=s).due(now)}
        for s in ((0, 2), (1, 2))
    ]
    assert shards[0].isdisjoint(shards[1])
    assert shards[0] | shards[1] == {f.id for f in added}
    assert all((fid or 0) % 2 == 0 for fid in shards[0])


def test_parse_shard() -> None:
    assert parse_shard("1/4") == (1, 4)
    for bad in ("4/4", "x", "1/0", "-1/2"):
        with pytest.raises(ValueError):
            parse_shard(bad)


async def test_stop_leaves_due_feeds_due(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    feed = add(poll_settings, feed_server.serve(p, fixture=KIND_FIXTURES["rss"]))
    poller = Poller(poll_settings, engine=get_engine(poll_settings), producer=RecordingProducer())
    poller.stop.set()
    await poller.run()
    assert feed_server.requests[p] == [] and reload(poll_settings, feed).next_poll_at is None


async def test_cache_control_max_age_delays_the_next_poll(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    url = feed_server.serve(
        path(), fixture=KIND_FIXTURES["rss"], headers={"Cache-Control": "public, max-age=5400"}
    )
    feed = add(poll_settings, url)  # interval 600 s, shorter than max-age
    await poll(poll_settings, RecordingProducer())
    after = reload(poll_settings, feed)
    assert after.last_fetch_at and after.next_poll_at
    assert after.next_poll_at - after.last_fetch_at == timedelta(seconds=5400)


async def test_bad_items_go_to_dead_letters_and_good_ones_through(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    feed = add(poll_settings, feed_server.serve(path(), fixture="gdacs/gdacs-1.xml"))
    producer = RecordingProducer()
    poller = Poller(poll_settings, engine=get_engine(poll_settings), producer=producer)
    real_parse = poller.handler.parse

    def parse_with_a_blank_item(f: Feed, r: object) -> tuple[str, list]:
        kind, items = real_parse(f, r)  # type: ignore[arg-type]
        items[0].title, items[0].body = "", " "
        return kind, items

    poller.handler.parse = parse_with_a_blank_item  # type: ignore[assignment]
    await poller.poll_round()
    assert len(producer.produced) == 3
    [letter] = producer.dead_letters
    assert letter["error"] == "item has neither title nor body"
    assert letter["feed_id"] == feed.id and letter["item"]["title"] == ""
    assert reload(poll_settings, feed).items_produced == 3


async def test_polling_works_on_sqlite_and_postgresql(
    feed_server: FeedServer,
    poll_settings: Settings,
    db_settings: Settings,
) -> None:
    settings = poll_settings.updated(database_url=db_settings.database_url)
    feeds_added = [
        add(settings, feed_server.serve(path(), fixture=KIND_FIXTURES[kind], etag='"1"'))
        for kind in ("gdacs", "usgs")
    ]
    producer = RecordingProducer()
    shards = [
        Poller(settings, engine=get_engine(settings), producer=producer, shard=(i, 2))
        for i in range(2)
    ]
    for poller in shards:
        await poller.poll_round()
    assert len(producer.produced) == 4 + 3
    for feed in feeds_added:
        make_due(settings, feed)
    for poller in shards:
        await poller.poll_round()  # 304s now
    after = [reload(settings, f) for f in feeds_added]
    assert [(f.last_status, f.items_produced, f.kind) for f in after] == [
        (304, 4, "gdacs"),
        (304, 3, "usgs"),
    ]
    assert len(producer.produced) == 7


async def test_a_broken_url_fails_alone(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    broken = add(poll_settings, feed_server.serve(path(), fixture=KIND_FIXTURES["rss"]))
    with Session(get_engine(poll_settings)) as session:  # as stored before URLs were checked
        row = session.get(Feed, broken.id)
        assert row is not None
        row.url = "http://127.0.0.1:99999/feed.xml"
        session.add(row)
        session.commit()
    fine = add(poll_settings, feed_server.serve(path(), fixture=KIND_FIXTURES["rss"]))
    stats = await poll(poll_settings, RecordingProducer())
    assert (stats.polled, stats.failed) == (2, 1)
    assert "Port out of range" in (reload(poll_settings, broken).last_error or "")
    assert reload(poll_settings, fine).items_produced == 1


async def test_errors_in_a_row_pause_the_feed_with_the_reason(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"pause_after_failures": 3})
    p = path()
    feed = add(settings, feed_server.serve(p, status=500))
    for failures in (1, 2, 3):
        await poll(settings, RecordingProducer())
        after = reload(settings, feed)
        assert after.consecutive_failures == failures
        assert after.enabled == (failures < 3) and (after.paused_at is not None) == (failures == 3)
        make_due(settings, feed)
    assert "paused after 3 errors in a row (HTTP 500" in (after.disabled_reason or "")
    await poll(settings, RecordingProducer())
    assert len(feed_server.requests[p]) == 3  # paused: not polled again


async def test_pause_after_zero_never_pauses(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"pause_after_failures": 0})
    feed = add(settings, feed_server.serve(path(), status=500))
    for _ in range(3):
        await poll(settings, RecordingProducer())
        make_due(settings, feed)
    after = reload(settings, feed)
    assert after.enabled and after.paused_at is None and after.consecutive_failures == 3


async def test_last_modified_alone_gives_a_healthy_304(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p, date = path(), "Mon, 02 Sep 2024 11:38:29 GMT"
    url = feed_server.serve(p, fixture=KIND_FIXTURES["rss"], last_modified=date)
    feed = add(poll_settings, url)
    producer = RecordingProducer()
    await poll(poll_settings, producer)
    assert reload(poll_settings, feed).last_modified == date and producer.produced
    make_due(poll_settings, feed)
    stats = await poll(poll_settings, producer)
    assert feed_server.requests[p][-1]["If-Modified-Since"] == date
    assert stats == RoundStats(polled=1, failed=0, produced=0)
    after = reload(poll_settings, feed)
    assert (after.last_status, after.consecutive_failures) == (304, 0)
    assert after.last_success_at == after.last_fetch_at


async def test_a_304_refreshes_the_validators_it_sends(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = path()
    feed = add(poll_settings, feed_server.serve(p, fixture=KIND_FIXTURES["rss"], etag='"v1"'))
    await poll(poll_settings, RecordingProducer())
    # The server now answers 304 to the old tag but names a new one (a weak-to-strong switch).
    feed_server.routes[p].etag, feed_server.routes[p].headers = None, {"ETag": '"v2"'}
    feed_server.routes[p].status, feed_server.routes[p].body = 304, b""
    make_due(poll_settings, feed)
    await poll(poll_settings, RecordingProducer())
    after = reload(poll_settings, feed)
    assert (after.last_status, after.etag, after.consecutive_failures) == (304, '"v2"', 0)


async def test_retry_after_as_an_http_date_sets_the_next_poll(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    when = datetime.now(UTC) + timedelta(hours=3)
    header = when.strftime("%a, %d %b %Y %H:%M:%S GMT")
    url = feed_server.serve(path(), status=429, headers={"Retry-After": header})
    feed = add(poll_settings, url)
    await poll(poll_settings, RecordingProducer())
    after = reload(poll_settings, feed)
    assert after.next_poll_at is not None
    assert abs((after.next_poll_at - when).total_seconds()) < 5


async def _publish_twice(settings: Settings, feed_server: FeedServer) -> Feed:
    p = path()
    feed = add(settings, feed_server.serve(p, fixture="rss/rss_2.0_nbcny.xml"))
    await poll(settings, RecordingProducer())  # the backlog: no pace yet
    assert reload(settings, feed).publish_interval_s is None
    feed_server.serve(p, fixture="rss/rss_2.0_spiegel.xml")  # new items at once
    make_due(settings, feed)
    await poll(settings, RecordingProducer())
    return reload(settings, feed)


async def test_a_feed_that_publishes_often_is_polled_more_often(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"adaptive_min_s": 90})
    after = await _publish_twice(settings, feed_server)
    assert after.publish_interval_s is not None and after.publish_interval_s < 5
    assert after.last_new_item_at == after.last_fetch_at
    assert after.next_poll_at and after.last_fetch_at
    assert after.next_poll_at - after.last_fetch_at == timedelta(seconds=90)  # not 600


async def test_adaptive_polling_off_keeps_the_interval(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    after = await _publish_twice(poll_settings.updated(polling={"adaptive": False}), feed_server)
    assert after.next_poll_at and after.last_fetch_at
    assert after.next_poll_at - after.last_fetch_at == timedelta(seconds=600)


async def test_one_request_per_host_per_gap(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"host_gap_s": 0.4, "per_host": 4})
    for _ in range(4):
        add(settings, feed_server.serve(path(), fixture=KIND_FIXTURES["rss"]))
    start = len(feed_server.arrivals)
    stats = await poll(settings, RecordingProducer())
    times = feed_server.arrivals[start:]
    assert stats.polled == 4 and len(times) == 4
    assert min(b - a for a, b in itertools.pairwise(times)) >= 0.35


async def test_stop_ends_the_wait_for_a_hosts_turn(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    settings = poll_settings.updated(polling={"host_gap_s": 30.0})
    feeds = [add(settings, feed_server.serve(path(), fixture=KIND_FIXTURES["rss"])) for _ in "ab"]
    poller = Poller(settings, engine=get_engine(settings), producer=RecordingProducer())
    round_ = asyncio.create_task(poller.poll_round())
    await asyncio.sleep(0.5)
    poller.stop.set()
    stats = await asyncio.wait_for(round_, timeout=5)
    assert stats.polled == 1  # the second feed waited its turn, then the stop came
    assert reload(settings, feeds[1]).next_poll_at is None  # still due
