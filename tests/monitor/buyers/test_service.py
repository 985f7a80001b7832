"""The buyers service: watches are cleaned on the way in and read only by their buyer; webhook
secrets are fresh, Standard Webhooks shaped, and rotated on demand."""

from __future__ import annotations

import base64

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


def test_webhook_secrets_are_fresh_and_standard_webhooks_shaped() -> None:
    secret = service.new_webhook_secret()
    assert secret.startswith("whsec_") and secret != service.new_webhook_secret()
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) <= 64


def test_rotating_gives_a_new_secret_and_an_unknown_buyer_is_not_found(
    db_settings: Settings,
) -> None:
    with session_scope(db_settings) as s:
        made = service.create_buyer(session=s, data=BuyerCreate(name="Acme Sweets"))
        rotated = service.rotate_secret(session=s, buyer_id=made.id)
        with pytest.raises(NotFound):
            service.rotate_secret(session=s, buyer_id=12345)
    assert rotated.webhook_secret.startswith("whsec_")
    assert rotated.webhook_secret != made.webhook_secret
