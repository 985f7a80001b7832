"""Per-buyer webhook secrets: `whsec_` + base64 of random bytes, shown once."""

from __future__ import annotations

import base64
import secrets

from sqlmodel import Session

from monitor.models import Buyer

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32  # HMAC-SHA256 key length; the spec asks for 24 to 64 bytes


def new_webhook_secret() -> str:
    """Return a fresh Standard Webhooks secret."""
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def rotate_webhook_secret(session: Session, *, buyer_id: int) -> str:
    """Give the buyer a new webhook secret and return it (the only time it is shown)."""
    buyer = session.get(Buyer, buyer_id)
    if buyer is None:
        raise LookupError(f"no buyer with id {buyer_id}")
    buyer.webhook_secret = new_webhook_secret()
    session.add(buyer)
    session.flush()
    return buyer.webhook_secret
