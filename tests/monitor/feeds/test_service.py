"""The feeds service: add, list, change, remove and check feeds; bad input is refused."""

from __future__ import annotations

import uuid

import pytest

from monitor.db import session_scope
from monitor.errors import Conflict, InvalidInput, NotFound
from monitor.feeds import service as feeds
from monitor.feeds.models import FeedUpdate
from monitor.settings import Settings
from tests import builders
from tests.servers.feedserver import FeedServer

RSS = "rss/rss_2.0_nbcny.xml"


def test_add_list_get_update_remove(poll_settings: Settings) -> None:
    feed = builders.add_feed(poll_settings, url="https://a.example/feed", kind="gdacs")
    assert [f.url for f in builders.list_feeds(poll_settings)] == ["https://a.example/feed"]
    assert builders.get_feed(poll_settings, feed.id or 0).kind == "gdacs"
    with session_scope(poll_settings) as session:
        change = FeedUpdate(enabled=False, interval_s=120)
        feeds.update_feed(session=session, feed_id=feed.id or 0, data=change)
    after = builders.get_feed(poll_settings, feed.id or 0)
    assert (after.enabled, after.interval_s, feeds.state(after)) == (False, 120, "disabled")
    with session_scope(poll_settings) as session:
        feeds.remove_feed(session=session, feed_id=feed.id or 0)
    assert builders.list_feeds(poll_settings) == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"url": "ftp://a.example/feed"}, "not a feed URL"),
        ({"url": "http://a.example:99999/feed"}, "Port out of range"),
        ({"url": "https://a.example/x", "kind": "nope"}, "unknown feed kind"),
        (
            {"url": "https://a.example/x", "interval_s": 5},
            "interval_s: .* greater than or equal to 30",
        ),
    ],
)
def test_add_refuses_bad_input(poll_settings: Settings, kwargs: dict, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        builders.add_feed(poll_settings, **kwargs)
    assert builders.list_feeds(poll_settings) == []


def test_duplicate_and_missing_feeds_are_clear_errors(poll_settings: Settings) -> None:
    builders.add_feed(poll_settings, url="https://a.example/feed")
    with pytest.raises(Conflict, match="already exists"):
        builders.add_feed(poll_settings, url="https://a.example/feed")
    with pytest.raises(NotFound, match="no feed with id 99"):
        builders.get_feed(poll_settings, 99)


def test_check_reports_items_and_changes_nothing(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    url = feed_server.serve(f"/{uuid.uuid4().hex}", fixture=RSS)
    with session_scope(poll_settings) as session:
        report = feeds.check_feed(session=session, settings=poll_settings, url=url)
    assert report.status == 200 and report.kind == "rss" and report.items
    assert report.new_ids == [i.id for i in report.items]
    assert builders.list_feeds(poll_settings) == []


def test_tags_are_cleaned_on_add_and_change(poll_settings: Settings) -> None:
    tags = ["/Shipping/", "shipping", "  Ports \n Europe ", "", "x" * 150]
    feed = builders.add_feed(poll_settings, url="https://a.example/feed", tags=tags)
    assert feed.tags == ["Shipping", "Ports Europe", "x" * 100]
    with session_scope(poll_settings) as session:
        feeds.update_feed(session=session, feed_id=feed.id or 0, data=FeedUpdate(tags=["b", "B"]))
    assert builders.get_feed(poll_settings, feed.id or 0).tags == ["b"]
    with session_scope(poll_settings) as session:
        feeds.update_feed(session=session, feed_id=feed.id or 0, data=FeedUpdate(name="n"))
    assert builders.get_feed(poll_settings, feed.id or 0).tags == ["b"]


def test_reset_errors_resumes_paused_feeds_and_leaves_switched_off_ones_off(
    poll_settings: Settings,
) -> None:
    paused = builders.add_feed(poll_settings, url="https://a.example/p")
    off = builders.add_feed(poll_settings, url="https://a.example/off")
    fine = builders.add_feed(poll_settings, url="https://a.example/ok")
    builders.pause_feed(poll_settings, paused.id or 0)
    with session_scope(poll_settings) as session:
        feeds.update_feed(session=session, feed_id=off.id or 0, data=FeedUpdate(enabled=False))
        row = feeds.get_feed(session=session, feed_id=off.id or 0)
        row.consecutive_failures = 2
        assert feeds.state_counts(session=session) == {
            "new": 1, "ok": 0, "failing": 0, "paused": 1, "disabled": 1,
        }  # fmt: skip
    with session_scope(poll_settings) as session:
        done = feeds.reset_errors(session=session)
        assert [f.id for f in done] == [paused.id, off.id]
    resumed = builders.get_feed(poll_settings, paused.id or 0)
    assert (resumed.enabled, resumed.paused_at, resumed.disabled_reason) == (True, None, None)
    assert feeds.state(resumed) == "ok" and resumed.next_poll_at is None
    still_off = builders.get_feed(poll_settings, off.id or 0)
    assert feeds.state(still_off) == "disabled" and still_off.consecutive_failures == 0
    assert builders.get_feed(poll_settings, fine.id or 0).consecutive_failures == 0


def test_reset_errors_of_one_feed_and_of_a_missing_one(poll_settings: Settings) -> None:
    feed = builders.add_feed(poll_settings, url="https://a.example/p")
    builders.pause_feed(poll_settings, feed.id or 0)
    with session_scope(poll_settings) as session:
        assert feeds.state(feeds.get_feed(session=session, feed_id=feed.id or 0)) == "paused"
        feeds.reset_errors(session=session, feed_id=feed.id or 0)
    assert feeds.state(builders.get_feed(poll_settings, feed.id or 0)) == "ok"
    with session_scope(poll_settings) as session, pytest.raises(NotFound):
        feeds.reset_errors(session=session, feed_id=999)


def test_switching_a_paused_feed_off_or_on_by_hand_ends_the_pause(poll_settings: Settings) -> None:
    off = builders.add_feed(poll_settings, url="https://a.example/off")
    on = builders.add_feed(poll_settings, url="https://a.example/on")
    for feed, enabled in ((off, False), (on, True)):
        builders.pause_feed(poll_settings, feed.id or 0)
        with session_scope(poll_settings) as session:
            change = FeedUpdate(enabled=enabled)
            feeds.update_feed(session=session, feed_id=feed.id or 0, data=change)
    assert feeds.state(builders.get_feed(poll_settings, off.id or 0)) == "disabled"
    resumed = builders.get_feed(poll_settings, on.id or 0)
    assert (feeds.state(resumed), resumed.consecutive_failures) == ("ok", 0)
    with session_scope(poll_settings) as session:
        assert [f.id for f in feeds.reset_errors(session=session)] == [off.id]
    assert feeds.state(builders.get_feed(poll_settings, off.id or 0)) == "disabled"  # stays off
