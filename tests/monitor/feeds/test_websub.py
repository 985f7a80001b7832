"""The WebSub service: subscriptions noted from hubs, intent checks, signatures, deliveries."""

from __future__ import annotations

import hashlib
import hmac
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from monitor import db
from monitor.feeds import service as feeds
from monitor.feeds import websub
from monitor.feeds.models import Feed, WebSubSubscription
from monitor.settings import Settings
from tests import builders

HUB = "https://hub.example/"
TOPIC = "https://feeds.example/a.xml"
NOW = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)


def sign(secret: str, body: bytes, method: str = "sha256") -> str:
    return f"{method}={hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()}"


@pytest.mark.parametrize("method", ["sha1", "sha256", "sha384", "sha512"])
def test_a_signature_by_each_method_is_checked(method: str) -> None:
    body = b"<feed/>"
    assert websub.signature_ok("s3cret", body, sign("s3cret", body, method))
    assert websub.signature_ok("s3cret", body, sign("s3cret", body, method).upper())
    assert not websub.signature_ok("s3cret", body + b" ", sign("s3cret", body, method))
    assert not websub.signature_ok("other", body, sign("s3cret", body, method))


@pytest.mark.parametrize("header", [None, "", "sha256", "sha256=", "md5=abc", "=abc", "x" * 300])
def test_a_missing_or_unknown_signature_fails(header: str | None) -> None:
    assert not websub.signature_ok("s3cret", b"<feed/>", header)


def _feed(settings: Settings) -> Feed:
    return builders.add_feed(settings, url=TOPIC, interval_s=600)


def _sub(settings: Settings, feed_id: int) -> WebSubSubscription | None:
    with Session(db.get_engine(settings)) as session:
        return session.exec(
            select(WebSubSubscription).where(WebSubSubscription.feed_id == feed_id)
        ).first()


def _note(settings: Settings, feed: Feed, hub: str | None, topic: str | None = TOPIC) -> None:
    with Session(db.get_engine(settings)) as session:
        websub.note_hub(session=session, feed=feed, hub=hub, topic=topic, now=NOW)
        session.commit()


def _set(settings: Settings, feed_id: int, **fields: object) -> None:
    with Session(db.get_engine(settings)) as session:
        sub = session.exec(
            select(WebSubSubscription).where(WebSubSubscription.feed_id == feed_id)
        ).one()
        for name, value in fields.items():
            setattr(sub, name, value)
        session.add(sub)
        session.commit()


def test_a_hub_is_noted_once_with_its_own_token_and_secret(db_settings: Settings) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    first = _sub(db_settings, feed.id or 0)
    assert first is not None and first.state == "pending" and first.next_attempt_at is not None
    assert len(first.token) >= 40 and len(first.secret) >= 60 and first.token != first.secret
    _note(db_settings, feed, HUB)  # the same hub again: nothing changes
    again = _sub(db_settings, feed.id or 0)
    assert again is not None and (again.token, again.secret) == (first.token, first.secret)
    _note(db_settings, feed, "https://other-hub.example/")  # a new hub: a new subscription
    moved = _sub(db_settings, feed.id or 0)
    assert moved is not None and moved.hub_url == "https://other-hub.example/"
    assert moved.token != first.token and moved.secret != first.secret
    _note(db_settings, feed, None)  # the feed no longer names a hub
    assert _sub(db_settings, feed.id or 0) is None


def _intent(settings: Settings, token: str, **kw: str | None) -> websub.Answer:
    args: dict[str, str | None] = {
        "mode": "subscribe", "topic": TOPIC, "challenge": "abc123", "lease_s": "86400", **kw,
    }  # fmt: skip
    with Session(db.get_engine(settings)) as session:
        answer = websub.verify_intent(
            session=session, token=token, settings=settings, now=NOW,
            mode=args["mode"] or "", topic=args["topic"] or "",
            challenge=args["challenge"] or "", lease_s=args["lease_s"],
        )  # fmt: skip
        session.commit()
        return answer


def test_only_a_requested_subscription_of_the_right_topic_echoes_the_challenge(
    db_settings: Settings,
) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None
    assert _intent(db_settings, sub.token).status == 404  # pending: we have not asked yet
    _set(db_settings, feed.id or 0, state="requested")
    assert _intent(db_settings, "no-such-token").status == 404
    assert _intent(db_settings, sub.token, topic=TOPIC + "?x").status == 404
    assert _intent(db_settings, sub.token, mode="unsubscribe").status == 404
    answer = _intent(db_settings, sub.token)
    assert (answer.status, answer.text) == (200, "abc123")
    active = _sub(db_settings, feed.id or 0)
    assert active is not None and active.state == "active" and active.lease_s == 86400
    assert active.expires_at == NOW + timedelta(days=1)
    assert active.next_attempt_at is not None and NOW < active.next_attempt_at < active.expires_at
    with Session(db.get_engine(db_settings)) as session:
        ids = [feed.id or 0]
        assert websub.pushed(session=session, feed_ids=ids, now=NOW) == {feed.id}
        assert websub.pushed(session=session, feed_ids=ids, now=NOW + timedelta(days=2)) == set()


def test_a_lease_the_hub_does_not_state_is_the_one_asked_for(db_settings: Settings) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None
    _set(db_settings, feed.id or 0, state="requested")
    assert _intent(db_settings, sub.token, lease_s=None).status == 200
    active = _sub(db_settings, feed.id or 0)
    assert active is not None and active.lease_s == db_settings.polling.websub_lease_s


def test_a_denial_is_recorded_and_retried_late(db_settings: Settings) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None
    assert _intent(db_settings, sub.token, mode="denied", challenge=None).status == 200
    denied = _sub(db_settings, feed.id or 0)
    assert denied is not None and denied.state == "denied" and denied.next_attempt_at is not None
    assert denied.next_attempt_at.replace(tzinfo=UTC) > NOW + timedelta(hours=1)


def test_a_removed_feeds_subscription_answers_gone(db_settings: Settings) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None
    with Session(db.get_engine(db_settings)) as session:
        feeds.remove_feed(session=session, feed_id=feed.id or 0)
        session.commit()
    assert _intent(db_settings, sub.token).status == 410
    calls: list[bytes] = []
    with Session(db.get_engine(db_settings)) as session:
        answer = websub.deliver(
            session=session, token=sub.token, body=b"x", signature=sign(sub.secret, b"x"),
            content_type=None, handle=lambda f, b, c: calls.append(b) or 1,
        )  # fmt: skip
    assert answer.status == 410 and calls == []
    with Session(db.get_engine(db_settings)) as session:  # lease over: the row goes
        assert websub.forget_orphans(session=session, now=NOW) == 1
        session.commit()


def test_a_delivery_is_handled_only_when_signed_with_the_secret(db_settings: Settings) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None
    calls: list[tuple[int | None, bytes, str | None]] = []

    def handle(f: Feed, body: bytes, content_type: str | None) -> int:
        calls.append((f.id, body, content_type))
        return 3

    def deliver(token: str, signature: str | None) -> websub.Answer:
        with Session(db.get_engine(db_settings)) as session:
            return websub.deliver(
                session=session, token=token, body=b"<feed/>", signature=signature,
                content_type="application/atom+xml", handle=handle,
            )  # fmt: skip

    assert deliver(sub.token, None) == websub.Answer(202, "", "bad_signature")
    assert deliver(sub.token, sign("wrong", b"<feed/>")).outcome == "bad_signature"
    assert deliver("nope", sign(sub.secret, b"<feed/>")).status == 404
    assert calls == []
    assert deliver(sub.token, sign(sub.secret, b"<feed/>", "sha512")).outcome == "accepted"
    assert calls == [(feed.id, b"<feed/>", "application/atom+xml")]
    counted = _sub(db_settings, feed.id or 0)
    assert counted is not None and counted.deliveries == 1


def test_a_failed_request_backs_off_and_an_accepted_one_waits_for_the_hub(
    db_settings: Settings,
) -> None:
    feed = _feed(db_settings)
    _note(db_settings, feed, HUB)
    sub = _sub(db_settings, feed.id or 0)
    assert sub is not None and sub.id is not None
    with Session(db.get_engine(db_settings)) as session:
        assert [s.id for s in websub.due(session=session, now=NOW)] == [sub.id]
        websub.requested(session=session, sub_id=sub.id, error="hub answered HTTP 500",
                         now=NOW, settings=db_settings)  # fmt: skip
        session.commit()
        assert websub.due(session=session, now=NOW + timedelta(seconds=30)) == []
    failed = _sub(db_settings, feed.id or 0)
    assert failed is not None and failed.attempts == 1 and failed.state == "pending"
    with Session(db.get_engine(db_settings)) as session:
        websub.requested(session=session, sub_id=sub.id, error=None, now=NOW,
                         settings=db_settings)  # fmt: skip
        session.commit()
    asked = _sub(db_settings, feed.id or 0)
    assert asked is not None and asked.state == "requested" and asked.attempts == 0
