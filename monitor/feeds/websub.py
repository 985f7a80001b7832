"""WebSub subscriptions: who pushes which feed, the hub's intent checks, signed deliveries.

A feed that names a hub is subscribed to it (`connectors/websub.py` sends the requests); the
hub checks our intent at the callback, then POSTs new content signed with the subscription's
secret. The API's callback route calls the functions here and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, or_, select

from monitor.feeds.models import Feed, WebSubSubscription
from monitor.settings import Settings

log = logging.getLogger(__name__)
CALLBACK_PATH = "/api/v1/websub/"
DIGESTS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha384": hashlib.sha384,
           "sha512": hashlib.sha512}  # fmt: skip
RETRY_S = 3600  # a hub that never checked our intent is asked again after this long


@dataclass(frozen=True)
class Answer:
    """What the callback answers a hub: a status and a plain-text body."""

    status: int
    text: str = ""
    outcome: str = ""  # for the delivery metric: accepted, bad_signature, unparsed, gone…


NOT_FOUND = Answer(404, "no such subscription", "unknown")
GONE = Answer(410, "the feed was removed", "gone")


def enabled(settings: Settings) -> bool:
    """Return True when WebSub is on: the API has a public address hubs can call back."""
    return bool(settings.api.public_url)


def callback_url(settings: Settings, token: str) -> str:
    """Return the callback address hubs reach a subscription at."""
    return f"{(settings.api.public_url or '').rstrip('/')}{CALLBACK_PATH}{token}"


def note_hub(
    *, session: Session, feed: Feed, hub: str | None, topic: str | None, now: datetime
) -> None:
    """Record the hub a fetched feed names (a new or changed hub is subscribed anew)."""
    sub = session.exec(
        select(WebSubSubscription).where(WebSubSubscription.feed_id == feed.id)
    ).first()
    if hub is None:
        if sub is not None:  # the feed stopped naming a hub: stop renewing, let the lease end
            session.delete(sub)
        return
    topic = topic or feed.url
    if sub is not None and (sub.hub_url, sub.topic_url) == (hub, topic):
        return
    sub = sub or WebSubSubscription(
        feed_id=feed.id, hub_url=hub, topic_url=topic, token="", secret=""
    )
    sub.hub_url, sub.topic_url, sub.state = hub, topic, "pending"
    sub.token, sub.secret = secrets.token_urlsafe(32), secrets.token_urlsafe(48)
    sub.next_attempt_at, sub.attempts, sub.expires_at, sub.lease_s = now, 0, None, None
    session.add(sub)


def pushed(*, session: Session, feed_ids: Iterable[int], now: datetime) -> set[int]:
    """Return which of `feed_ids` a hub pushes now (an active, unexpired lease)."""
    ids = list(feed_ids)
    if not ids:
        return set()
    rows = session.exec(
        select(WebSubSubscription.feed_id)
        .where(col(WebSubSubscription.feed_id).in_(ids))
        .where(WebSubSubscription.state == "active")
        .where(col(WebSubSubscription.expires_at) > now)
    ).all()
    return {fid for fid in rows if fid is not None}


def due(
    *, session: Session, now: datetime, shard: tuple[int, int] = (0, 1)
) -> list[WebSubSubscription]:
    """Return this shard's subscriptions to (re)request from their hubs now."""
    i, n = shard
    query = (
        select(WebSubSubscription)
        .join(Feed, col(Feed.id) == WebSubSubscription.feed_id)
        .where(col(Feed.enabled))
        .where(col(WebSubSubscription.next_attempt_at) <= now)
    )
    if n > 1:
        query = query.where(col(Feed.id) % n == i)
    return list(session.exec(query.order_by(col(WebSubSubscription.id))).all())


def requested(
    *, session: Session, sub_id: int, error: str | None, now: datetime, settings: Settings
) -> None:
    """Record a subscription request: accepted (wait for the intent check) or failed (back off)."""
    sub = session.get(WebSubSubscription, sub_id)
    if sub is None:
        return
    if error is None:
        sub.attempts, sub.last_error = 0, None
        if sub.state != "active":
            sub.state = "requested"
        sub.next_attempt_at = now + timedelta(seconds=RETRY_S)
    else:
        sub.attempts += 1
        sub.last_error = error[:500]
        wait = min(settings.polling.backoff_max_s, 60 * 2 ** min(sub.attempts, 16))
        sub.next_attempt_at = now + timedelta(seconds=wait)
    session.add(sub)


def forget_orphans(*, session: Session, now: datetime) -> int:
    """Delete subscriptions of removed feeds whose lease has ended; return how many."""
    rows = session.exec(
        select(WebSubSubscription)
        .where(col(WebSubSubscription.feed_id).is_(None))
        .where(
            or_(
                col(WebSubSubscription.expires_at).is_(None),
                col(WebSubSubscription.expires_at) < now,
            )
        )
    ).all()
    for row in rows:
        session.delete(row)
    return len(rows)


def _by_token(session: Session, token: str) -> WebSubSubscription | None:
    if not token or len(token) > 64:
        return None
    return session.exec(select(WebSubSubscription).where(WebSubSubscription.token == token)).first()


def verify_intent(
    *,
    session: Session,
    token: str,
    mode: str,
    topic: str,
    challenge: str,
    lease_s: str | None,
    settings: Settings,
    now: datetime | None = None,
) -> Answer:
    """Answer a hub's intent check: echo the challenge only for a subscription we asked for."""
    now = now or datetime.now(UTC)
    sub = _by_token(session, token)
    if sub is None:
        return NOT_FOUND
    if sub.feed_id is None:
        return GONE
    if topic != sub.topic_url:
        return NOT_FOUND
    if mode == "denied":  # the hub refused us; hub.reason may say why
        sub.state, sub.last_error = "denied", "the hub denied the subscription"
        sub.next_attempt_at = now + timedelta(seconds=settings.polling.backoff_max_s)
        session.add(sub)
        return Answer(200, "", "denied")
    if mode != "subscribe" or sub.state not in ("requested", "active") or not challenge:
        return NOT_FOUND  # we never unsubscribe: a hub asking that was not asked by us
    lease = _lease(lease_s, settings)
    sub.state, sub.lease_s, sub.expires_at = "active", lease, now + timedelta(seconds=lease)
    before = max(lease // 10, min(settings.polling.websub_renew_before_s, lease // 2))
    sub.next_attempt_at = sub.expires_at - timedelta(seconds=before)
    sub.last_error = None
    session.add(sub)
    return Answer(200, challenge, "verified")


def _lease(raw: str | None, settings: Settings) -> int:
    """Return the lease the hub granted (seconds), or the one we asked for when it gave none."""
    try:
        lease = int(raw or "")
    except ValueError:
        lease = settings.polling.websub_lease_s
    return max(60, min(lease, 366 * 86400))


def signature_ok(secret: str, body: bytes, header: str | None) -> bool:
    """Return True when `X-Hub-Signature` (`method=hex`) is the HMAC of `body` with `secret`."""
    method, _, given = (header or "").strip().partition("=")
    digest = DIGESTS.get(method.lower())
    if digest is None or not given:
        return False
    expected = hmac.new(secret.encode(), body, digest).hexdigest()
    return hmac.compare_digest(expected, given.strip().lower())


def deliver(
    *,
    session: Session,
    token: str,
    body: bytes,
    signature: str | None,
    content_type: str | None,
    handle: Callable[[Feed, bytes, str | None], int],
) -> Answer:
    """Take a hub's delivery: check its signature, then hand the body to `handle` as a poll's.

    A delivery that fails the check is dropped but still answered 2xx, as WebSub asks, so the
    hub does not retry it for ever; the outcome says what happened for the metric.
    """
    sub = _by_token(session, token)
    if sub is None:
        return NOT_FOUND
    if sub.feed_id is None:
        return GONE
    if not signature_ok(sub.secret, body, signature):
        log.warning("websub: dropped a delivery for feed %s: bad or missing signature", sub.feed_id)
        return Answer(202, "", "bad_signature")
    feed = session.get(Feed, sub.feed_id)
    if feed is None:
        return GONE
    sub.deliveries += 1
    session.add(sub)
    session.commit()  # the count is kept even if the handler below fails
    produced = handle(feed, body, content_type)
    return Answer(202, "", "accepted" if produced >= 0 else "unparsed")
