"""API keys: created with a role, stored as an argon2 hash, found by their public prefix.

A key reads `smk_<prefix>_<secret>`. Only the prefix is stored in clear; the whole key is
verified against its argon2 hash. Verifying costs tens of milliseconds on purpose, so a
process remembers the SHA-256 of keys it has already verified (see `Verifier`), and throttles
guesses before they cost it that work.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from monitor.columns import utcnow
from monitor.errors import InvalidInput, NotFound
from monitor.keys.throttle import FailureThrottle
from monitor.models import ROLES, ApiKey, Buyer

SCHEME = "smk"
# OWASP's argon2id minimum (19 MiB, 2 passes). A key holds 256 random bits, so no cost setting
# makes guessing feasible; the hash keeps a leaked table from being a list of working keys.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)
HASHES_AT_ONCE = 2  # argon2 verifications one process runs at once (19 MiB and a core each)


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
    _forget_everywhere(row.id or 0)
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
    """Check presented keys, cheaply for the ones that passed, slowly for guesses.

    A key that passed is remembered by its SHA-256 for `cache_s` (who it is, without reading
    its row) and for good (that it verifies, so argon2 is not paid again). A guess costs one
    argon2 hash whether its prefix exists or not (unknown prefixes are checked against a dummy
    hash); after `failures` failed guesses in `window_s` from one client address or on one
    prefix, more are answered `Throttled` before any hashing. A key known to verify is never
    throttled.
    """

    def __init__(
        self,
        *,
        cache_s: float = 10.0,
        failures: int = 10,
        window_s: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.cache_s, self._clock = cache_s, clock
        self._verified: dict[str, int] = {}  # SHA-256 of a key that passed argon2 -> key id
        self._principals: dict[str, tuple[Principal, float]] = {}  # SHA-256 -> who, until
        self.throttle = FailureThrottle(limit=failures, window_s=window_s, clock=clock)
        self._hashing = threading.BoundedSemaphore(HASHES_AT_ONCE)
        _LIVE.add(self)

    def principal(self, *, session: Session, key: str, client: str = "") -> Principal | None:
        """Return who holds `key`, or None when it is unknown, malformed or revoked.

        Raise `Throttled` when `client` or the key's prefix failed too often of late."""
        scheme, _, rest = key.partition("_")
        prefix, _, secret = rest.partition("_")
        if scheme != SCHEME or not prefix or not secret or len(key) > 200:
            return None
        digest = hashlib.sha256(key.encode()).hexdigest()
        hit = self._principals.get(digest)
        if hit is not None and hit[1] > self._clock():
            return hit[0]
        known_id = self._verified.get(digest)
        names = (f"client:{client}", f"prefix:{prefix}")
        if known_id is None:  # a guess until argon2 says otherwise
            self.throttle.check(*names)
        row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).first()
        if known_id is None and not self._hash_matches(row, key, names):
            self.throttle.fail(*names)
            return None
        if row is None or row.id is None or row.revoked_at is not None:
            return None
        if known_id not in (None, row.id):  # the row was replaced: verify afresh next time
            self.forget(known_id)
            return None
        self._verified[digest] = row.id
        who = Principal(key_id=row.id, role=row.role, buyer_id=row.buyer_id)
        if len(self._principals) > 10_000:  # keys are few; a full cache is stale entries
            self._principals.clear()
        self._principals[digest] = (who, self._clock() + self.cache_s)
        return who

    def _hash_matches(self, row: ApiKey | None, key: str, names: tuple[str, ...]) -> bool:
        # A few hashes at a time, so a burst of guesses cannot take every core; checked again
        # once through, as failures may have reached the limit while this one waited.
        with self._hashing:
            self.throttle.check(*names)
            return _argon2_matches(row.key_hash if row is not None else _dummy_hash(), key)

    def forget(self, key_id: int) -> None:
        """Drop what is remembered of a key (revoked in this process: refused at once)."""
        for digest, known_id in list(self._verified.items()):
            if known_id == key_id:
                self._verified.pop(digest, None)
        for digest, (who, _) in list(self._principals.items()):
            if who.key_id == key_id:
                self._principals.pop(digest, None)


# Every verifier of this process, so a revocation made here is seen at once, not after cache_s.
_LIVE: weakref.WeakSet[Verifier] = weakref.WeakSet()


def _forget_everywhere(key_id: int) -> None:
    for verifier in list(_LIVE):
        verifier.forget(key_id)


def _argon2_matches(key_hash: str, key: str) -> bool:
    try:
        return _hasher.verify(key_hash, key)
    except (VerificationError, InvalidHashError):
        return False


@cache
def _dummy_hash() -> str:
    # Hashed on first use (not on import): an unknown prefix then costs what a known one does.
    return _hasher.hash(f"{SCHEME}_{secrets.token_hex(6)}_{secrets.token_urlsafe(32)}")
