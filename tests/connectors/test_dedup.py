"""The seen-items index on SQLite and PostgreSQL: chunked look-ups, idempotent marking."""

from __future__ import annotations

from connectors.base import item_id
from connectors.dedup import SeenIndex
from monitor.db import get_engine
from monitor.settings import Settings
from tests import builders


def test_unseen_mark_and_count_across_chunks(db_settings: Settings) -> None:
    feed = builders.add_feed(db_settings, url="http://feeds.example/a.xml")
    index = SeenIndex(get_engine(db_settings), chunk=100)
    ids = [item_id(feed.id, guid=str(n)) for n in range(1050)]
    assert index.unseen(ids + ids[:5]) == ids  # repeats dropped, order kept
    index.mark([(i, feed.id) for i in ids[:700]])
    index.mark([(i, feed.id) for i in ids[650:720]])  # overlaps are ignored, not errors
    assert index.unseen(ids) == ids[720:]
    assert index.seen(ids[700:730]) == set(ids[700:720])
    assert index.count() == 720


def test_removing_a_feed_forgets_its_ids(db_settings: Settings) -> None:
    feed = builders.add_feed(db_settings, url="http://feeds.example/b.xml")
    index = SeenIndex(get_engine(db_settings))
    index.mark([("x" * 64, feed.id)])
    builders.remove_feed(db_settings, feed.id or 0)
    assert index.count() == 0
