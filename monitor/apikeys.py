"""API keys: created with a role, stored as an argon2 hash, found by their public prefix.

A key reads `smk_<prefix>_<secret>`. Only the prefix is stored in clear; the whole key is
verified against its argon2 hash. Verifying costs tens of milliseconds on purpose, so a
process remembers the SHA-256 of keys it has already verified: the stored row (role,
revocation) is still read on every request, only the argon2 work is skipped.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from monitor.columns import utcnow
from monitor.errors import InvalidInput, NotFound
from monitor.models import ROLES, ApiKey, Buyer

SCHEME = "smk"
# OWASP's argon2id minimum (19 MiB, 2 passes). A key holds 256 random bits, so no cost setting
# makes guessing feasible; the hash keeps a leaked table from being a list of working keys.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass(frozen=True)
class Principal:
    """Who is calling: the key's id, role and (for a buyer key) buyer."""

    key_id: int
    role: str
    buyer_id: int | None


def create_key(
    *, session: Session, role: str, buyer_id: int | None = None, name: str = ""
) -> tuple[ApiKey, str]:
    """Create a key; return its row and the key itself (shown once, never stored)."""
    if role not in ROLES:
        raise InvalidInput("role", f"unknown role {role!r}: use one of {', '.join(ROLES)}")
    if (role == "buyer") != (buyer_id is not None):
        raise InvalidInput("buyer", "a buyer key needs --buyer ID, and only a buyer key takes one")
    if buyer_id is not None and session.get(Buyer, buyer_id) is None:
        raise NotFound(f"no buyer with id {buyer_id}")
    prefix = secrets.token_hex(6)
    key = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
    row = ApiKey(prefix=prefix, key_hash=_hasher.hash(key), role=role, buyer_id=buyer_id, name=name)
    session.add(row)
    session.flush()
    return row, key


def revoke_key(*, session: Session, prefix: str) -> ApiKey:
    """Revoke the key with this prefix; it stops working at once."""
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None:
        raise NotFound(f"no API key with prefix {prefix}")
    row.revoked_at = row.revoked_at or utcnow()
    session.add(row)
    session.flush()
    return row


def revoke_named(*, session: Session, buyer_id: int, name: str) -> int:
    """Revoke every key of a buyer that carries this name; return how many there were."""
    rows = session.exec(
        select(ApiKey).where(ApiKey.buyer_id == buyer_id, ApiKey.name == name)
    ).all()
    for row in rows:
        revoke_key(session=session, prefix=row.prefix)
    return len(rows)


def is_active(*, session: Session, key_id: int) -> bool:
    """Return whether the key with this id still exists and is not revoked."""
    row = session.get(ApiKey, key_id)
    return row is not None and row.revoked_at is None


class Verifier:
    """Check presented keys; remembers which keys it verified (by digest) to skip argon2."""

    def __init__(self) -> None:
        self._verified: dict[int, str] = {}  # key id -> SHA-256 of the key that passed

    def principal(self, *, session: Session, key: str) -> Principal | None:
        """Return who holds `key`, or None when it is unknown, malformed or revoked."""
        scheme, _, rest = key.partition("_")
        prefix, _, secret = rest.partition("_")
        if scheme != SCHEME or not prefix or not secret or len(key) > 200:
            return None
        row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
        if row is None or row.id is None or row.revoked_at is not None:
            return None
        digest = hashlib.sha256(key.encode()).hexdigest()
        if not secrets.compare_digest(self._verified.get(row.id, ""), digest):
            try:
                _hasher.verify(row.key_hash, key)
            except (VerificationError, InvalidHashError):
                return None
            self._verified[row.id] = digest
        return Principal(key_id=row.id, role=row.role, buyer_id=row.buyer_id)
