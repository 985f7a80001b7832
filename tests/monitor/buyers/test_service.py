"""The buyers service: watches are cleaned on the way in and read only by their buyer."""

from __future__ import annotations

import pytest

from monitor.buyers import service
from monitor.buyers.models import BuyerCreate, WatchCreate
from monitor.db import session_scope
from monitor.errors import InvalidInput, NotFound
from monitor.settings import Settings


def test_a_watch_is_cleaned_and_only_its_buyer_reads_it(db_settings: Settings) -> None:
    with session_scope(db_settings) as s:
        mine = service.create_buyer(session=s, data=BuyerCreate(name="Mine")).id
        other = service.create_buyer(session=s, data=BuyerCreate(name="Other")).id
        data = WatchCreate(materials=["Cocoa beans", "1801"], countries=["gh"],
                           subdivisions=[" gh-ah "])  # fmt: skip
        watch = service.create_watch(session=s, buyer_id=mine, data=data)
        assert (watch.materials, watch.countries, watch.subdivisions) == (
            ["cocoa"],
            ["GH"],
            ["GH-AH"],
        )
        assert service.get_watch(session=s, watch_id=watch.id, buyer_id=mine).id == watch.id
        assert service.get_watch(session=s, watch_id=watch.id).id == watch.id  # an admin
        with pytest.raises(NotFound, match=f"no watch with id {watch.id}"):
            service.get_watch(session=s, watch_id=watch.id, buyer_id=other)
        with pytest.raises(InvalidInput) as bad:
            service.create_watch(
                session=s, buyer_id=mine, data=WatchCreate(materials=["unobtainium"])
            )
    assert bad.value.field == "materials"
