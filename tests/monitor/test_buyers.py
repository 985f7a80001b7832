"""The buyers service's webhook secrets: fresh, Standard Webhooks shaped, rotated on demand."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest

from monitor import buyers, db
from monitor.errors import NotFound
from monitor.models import BuyerCreate
from monitor.settings import Settings


def test_webhook_secrets_are_fresh_and_standard_webhooks_shaped() -> None:
    secret = buyers.new_webhook_secret()
    assert secret.startswith("whsec_") and secret != buyers.new_webhook_secret()
    assert 24 <= len(base64.b64decode(secret.removeprefix("whsec_"), validate=True)) <= 64


def test_rotating_gives_a_new_secret_and_an_unknown_buyer_is_not_found(tmp_path: Path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'monitor.db'}")
    db.upgrade(settings)
    with db.session_scope(settings) as session:
        made = buyers.create_buyer(session=session, data=BuyerCreate(name="Acme Sweets"))
        rotated = buyers.rotate_secret(session=session, buyer_id=made.id)
        with pytest.raises(NotFound):
            buyers.rotate_secret(session=session, buyer_id=12345)
    assert rotated.webhook_secret.startswith("whsec_")
    assert rotated.webhook_secret != made.webhook_secret
