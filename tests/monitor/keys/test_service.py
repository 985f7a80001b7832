"""Verifier: passed keys cached briefly, guesses throttled and hashed alike, revocation seen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlmodel import Session, select

from monitor import db
from monitor.columns import utcnow
from monitor.keys import service as apikeys
from monitor.keys.throttle import Throttled
from monitor.models import ApiKey
from monitor.settings import Settings


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def session(tmp_path: Path) -> Iterator[Session]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'keys.db'}")
    db.upgrade(settings)
    with db.session_scope(settings) as s:
        yield s


def _key(session: Session) -> tuple[str, str]:
    row, key = apikeys.create_key(session=session, role="operator")
    return row.prefix, key


def _forged(prefix: str) -> str:
    return f"{apikeys.SCHEME}_{prefix}_{'x' * 43}"


def test_a_passed_key_is_trusted_for_cache_s_then_read_again(session: Session) -> None:
    clock = Clock()
    verifier = apikeys.Verifier(cache_s=10, clock=clock)
    prefix, key = _key(session)
    assert verifier.principal(session=session, key=key) is not None
    # Revoked by another process (as `monitor keys revoke` does): this one cannot know at once.
    row = session.exec(select(ApiKey).where(ApiKey.prefix == prefix)).one()
    row.revoked_at = utcnow()
    session.add(row)
    session.flush()
    assert verifier.principal(session=session, key=key) is not None
    clock.now += 11
    assert verifier.principal(session=session, key=key) is None


def test_a_key_revoked_in_process_stops_at_once(session: Session) -> None:
    verifier = apikeys.Verifier(cache_s=3600)
    prefix, key = _key(session)
    assert verifier.principal(session=session, key=key) is not None
    apikeys.revoke_key(session=session, prefix=prefix)
    assert verifier.principal(session=session, key=key) is None


def test_a_passed_key_skips_argon2(session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    clock = Clock()
    verifier = apikeys.Verifier(cache_s=1, clock=clock)
    _, key = _key(session)
    assert verifier.principal(session=session, key=key) is not None
    monkeypatch.setattr(apikeys, "_argon2_matches", _no_argon2)
    for _ in range(3):
        clock.now += 2  # past the cache: the row is read again, the hash is not
        assert verifier.principal(session=session, key=key) is not None


def _no_argon2(_hash: str, _key: str) -> bool:
    raise AssertionError("argon2 ran for a key already verified")


def test_an_unknown_prefix_costs_an_argon2_hash_like_a_known_one(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = apikeys._argon2_matches
    monkeypatch.setattr(apikeys, "_argon2_matches", lambda h, k: hashed.append(h) or real(h, k))
    verifier = apikeys.Verifier()
    prefix, _ = _key(session)
    assert verifier.principal(session=session, key=_forged(prefix)) is None
    assert verifier.principal(session=session, key=_forged("000000000000")) is None
    assert len(hashed) == 2 and hashed[0] != hashed[1]
    assert all(h.startswith("$argon2id$") for h in hashed)


def test_guesses_are_throttled_per_client_and_per_prefix(session: Session) -> None:
    verifier = apikeys.Verifier(failures=3, window_s=60)
    prefix, key = _key(session)
    assert verifier.principal(session=session, key=key, client="10.0.0.9") is not None
    for n in range(3):  # one client, three unknown prefixes
        assert (
            verifier.principal(session=session, key=_forged(f"{n:012d}"), client="10.0.0.1") is None
        )
    with pytest.raises(Throttled) as refused:
        verifier.principal(session=session, key=_forged("ffffffffffff"), client="10.0.0.1")
    assert 0 < refused.value.retry_after_s <= 60
    for n in range(3):  # three clients, one prefix
        assert (
            verifier.principal(session=session, key=_forged(prefix), client=f"10.1.0.{n}") is None
        )
    with pytest.raises(Throttled):
        verifier.principal(session=session, key=_forged(prefix), client="10.2.0.1")
    # The key's holder, already verified, is not locked out by guesses on its prefix.
    assert verifier.principal(session=session, key=key, client="10.2.0.1") is not None
