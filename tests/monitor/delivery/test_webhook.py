"""Webhooks: signed per Standard Webhooks, retried with backoff, given up, SSRF-guarded."""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import select
from standardwebhooks.webhooks import Webhook

from monitor import db
from monitor.delivery.outcome import redact
from monitor.delivery.sender import deliver_due
from monitor.delivery.store import delivery_counts
from monitor.models import Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer
from tests.servers.webhooks import Receiver


def verify_by_hand(body: bytes, headers: dict[str, str], secret: str) -> bool:
    """The raw HMAC recipe of docs/webhooks.md, as a receiver would write it."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    msg_id, ts = headers["webhook-id"], headers["webhook-timestamp"]
    if abs(time.time() - int(ts)) > 300:
        return False
    signed = f"{msg_id}.{ts}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    return any(
        sig.startswith("v1,") and hmac.compare_digest(sig[3:], expected)
        for sig in headers["webhook-signature"].split()
    )


def deliveries(settings: Settings) -> list[Delivery]:
    with db.session_scope(settings) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)).all())


def test_signed_alert_verifies_on_a_real_receiver(local: Settings, receiver: Receiver) -> None:
    buyer = add_buyer(local, webhook_url=receiver.url)
    alert = add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"delivered": 1}
    [got] = receiver.received
    assert got.path == "/hooks/alerts" and got.headers["webhook-id"] == f"alert_{alert.id}"
    assert got.headers["webhook-signature"].startswith("v1,")
    payload = Webhook(buyer.webhook_secret or "").verify(got.body, got.headers)
    assert payload["type"] == "alert" and payload["id"] == alert.id
    assert payload["incident"]["title"].startswith("Green alert for tropical cyclone CALVINIA-19")
    assert payload["why"]["materials"] == ["sugar"] and payload["incident_version"] == 1
    assert verify_by_hand(got.body, got.headers, buyer.webhook_secret or "")
    assert not verify_by_hand(got.body + b" ", got.headers, buyer.webhook_secret or "")
    with pytest.raises(Exception, match="signature"):  # another buyer's secret does not verify
        Webhook(add_buyer(local).webhook_secret or "").verify(got.body, got.headers)
    [row] = deliveries(local)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 1, None)
    assert deliver_due(local) == {}  # nothing is sent twice


def test_retries_with_backoff_then_delivers(local: Settings, receiver: Receiver) -> None:
    receiver.statuses = [500, (429, {"retry-after": "120"}), 200]
    buyer = add_buyer(local, webhook_url=receiver.url)
    add_alert(local, buyer.id or 0)
    now = datetime.now(UTC)
    assert deliver_due(local, now=now) == {"failed": 1}
    [row] = deliveries(local)
    assert row.status == "failed" and row.attempts == 1 and "HTTP 500" in (row.last_error or "")
    assert row.next_attempt_at is not None
    first_wait = (row.next_attempt_at - now).total_seconds()
    assert local.delivery.backoff_s / 2 <= first_wait <= local.delivery.backoff_s
    assert deliver_due(local, now=now) == {}  # not due yet
    now = row.next_attempt_at
    assert deliver_due(local, now=now) == {"failed": 1}
    [row] = deliveries(local)
    assert row.next_attempt_at is not None and row.next_attempt_at - now >= timedelta(seconds=120)
    assert deliver_due(local, now=row.next_attempt_at) == {"delivered": 1}
    ids = {r.headers["webhook-id"] for r in receiver.received}
    assert len(receiver.received) == 3 and len(ids) == 1  # one id: the receiver can dedupe
    [row] = deliveries(local)
    assert (row.status, row.attempts, row.last_error) == ("delivered", 3, None)


def test_gives_up_after_max_attempts_and_says_so(
    local: Settings, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    settings = local.updated(delivery_max_attempts=3)
    receiver.statuses = [503] * 5
    buyer = add_buyer(settings, webhook_url=receiver.url)
    add_alert(settings, buyer.id or 0)
    now = datetime.now(UTC)
    results = []
    for _ in range(4):
        results.append(deliver_due(settings, now=now))
        now += timedelta(seconds=settings.delivery.backoff_max_s)
    assert results == [{"failed": 1}, {"failed": 1}, {"gave_up": 1}, {}]
    assert len(receiver.received) == 3
    [row] = deliveries(settings)
    assert (row.status, row.attempts, row.next_attempt_at) == ("gave_up", 3, None)
    assert "gave up webhook delivery" in caplog.text
    with db.session_scope(settings) as session:
        assert delivery_counts(session)["gave_up"] == 1


def test_gives_up_after_max_age(local: Settings, receiver: Receiver) -> None:
    receiver.statuses = [503]
    buyer = add_buyer(local, webhook_url=receiver.url)
    add_alert(local, buyer.id or 0)
    late = datetime.now(UTC) + timedelta(seconds=local.delivery.max_age_s + 60)
    assert deliver_due(local, now=late) == {"gave_up": 1}


@pytest.mark.parametrize("status", [400, 401, 404, 410])
def test_a_client_error_gives_up_at_once(local: Settings, receiver: Receiver, status: int) -> None:
    receiver.statuses = [status]
    buyer = add_buyer(local, webhook_url=receiver.url)
    add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"gave_up": 1}
    assert f"HTTP {status}" in (deliveries(local)[0].last_error or "")


def test_redirects_are_not_followed(local: Settings, receiver: Receiver) -> None:
    receiver.statuses = [(307, {"location": receiver.url + "/elsewhere"})]
    buyer = add_buyer(local, webhook_url=receiver.url)
    add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"failed": 1}
    assert [r.path for r in receiver.received] == ["/hooks/alerts"]
    assert "redirects are not followed" in (deliveries(local)[0].last_error or "")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",  # loopback itself
        "2130706433",  # 127.0.0.1 as one decimal number
        "0x7f.1",  # hex and short forms
        "[::ffff:127.0.0.1]",  # IPv4-mapped IPv6
        "[::127.0.0.1]",  # IPv4-compatible IPv6
        "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
        "[64:ff9b::a9fe:a9fe]",  # NAT64 of the cloud metadata address
        "[2002:a00:1::]",  # 6to4 of 10.0.0.1
        "[2001:0:4136:e378:8000:63bf:f5ff:fffe]",  # Teredo of 10.0.0.1
    ],
)
def test_private_targets_are_refused(local: Settings, receiver: Receiver, host: str) -> None:
    guarded = local.updated(allow_private_hosts=[])
    port = receiver.url.split(":")[2].split("/")[0]
    buyer = add_buyer(guarded, webhook_url=f"http://{host}:{port}/hooks/alerts")
    add_alert(guarded, buyer.id or 0)
    assert deliver_due(guarded) == {"gave_up": 1}
    assert receiver.received == []
    assert "MONITOR_FETCH_ALLOW_PRIVATE_HOSTS" in (deliveries(guarded)[0].last_error or "")


def test_errors_never_show_url_credentials(local: Settings, receiver: Receiver) -> None:
    receiver.statuses = [(500, {})]
    port = receiver.url.split(":")[2].split("/")[0]
    url = f"http://hookuser:s3cret-pass@127.0.0.1:{port}/hooks/alerts"
    buyer = add_buyer(local, webhook_url=url)
    add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"failed": 1}
    error = deliveries(local)[0].last_error or ""
    assert "***@127.0.0.1" in error and "s3cret" not in error and "hookuser" not in error
    assert redact("http://a:b@h/x") == "http://***@h/x" and redact("http://h/x") == "http://h/x"
    assert redact("http://[::1") == "<unparseable URL>"


def test_unreachable_slow_and_unusable_targets(
    local: Settings, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fast = local.updated(delivery_timeout_s=0.5)
    import threading

    receiver.release = threading.Event()  # the receiver never answers in time
    slow = add_buyer(fast, name="slow", webhook_url=receiver.url)
    closed = add_buyer(fast, name="closed", webhook_url="http://127.0.0.1:9/")  # discard port
    ftp = add_buyer(fast, name="ftp", webhook_url="ftp://127.0.0.1/x")
    nosecret = add_buyer(fast, name="nosecret", webhook_url=receiver.url, webhook_secret=None)
    for buyer in (slow, closed, ftp, nosecret):
        add_alert(fast, buyer.id or 0)
    assert deliver_due(fast) == {"failed": 2, "gave_up": 2}
    receiver.release.set()
    errors = {d.alert_id: d.last_error or "" for d in deliveries(fast)}
    assert "timed out after 0.5s" in errors[1]
    assert "network error" in errors[2]
    assert "not an http(s) URL" in errors[3]
    assert "no webhook secret" in errors[4]
