"""Bad e-mail addresses: each fails its own delivery with a reason, never the loop or the batch."""

from __future__ import annotations

import asyncio

import pytest
from sqlmodel import select

from monitor import db
from monitor.delivery import mail
from monitor.delivery.sender import deliver_due, run_deliveries
from monitor.models import Alert, Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer
from tests.servers.smtp import Smtp
from tests.servers.webhooks import Receiver

# From the issue: each passed the old check, then raised at send time outside the caught errors.
BAD = ["[a@b.c", "<evil@x.y>", "a@b..c"]


def by_buyer(settings: Settings) -> dict[int, Delivery]:
    with db.session_scope(settings) as session:
        rows = session.exec(select(Delivery, Alert).join(Alert)).all()
        return {alert.buyer_id: delivery for delivery, alert in rows}


@pytest.mark.parametrize("address", BAD)
def test_a_bad_address_gives_up_with_its_reason_and_the_batch_goes_on(
    mailing: Settings, smtp_server: Smtp, address: str
) -> None:
    # Stored as a row from before addresses were validated would be.
    bad = add_buyer(mailing, name="Bad", email=address)
    good = add_buyer(mailing, name="Good", email="buyer@example.com")
    add_alert(mailing, bad.id or 0)
    add_alert(mailing, good.id or 0)
    assert deliver_due(mailing) == {"gave_up": 1, "delivered": 1}
    [envelope] = smtp_server.inbox.messages
    assert envelope.rcpt_tos == ["buyer@example.com"]
    failed = by_buyer(mailing)[bad.id or 0]
    assert (failed.status, failed.attempts) == ("gave_up", 1)
    assert (failed.last_error or "").startswith("invalid e-mail address: ")
    assert deliver_due(mailing) == {}  # never retried


async def test_the_send_loop_records_bad_addresses_and_delivers_the_rest(
    mailing: Settings, smtp_server: Smtp, caplog: pytest.LogCaptureFixture
) -> None:
    settings = mailing.updated(delivery_poll_s=0.05)
    bad_ids = [add_buyer(settings, name=a, email=a).id or 0 for a in BAD]
    good = add_buyer(settings, name="Good", email="buyer@example.com")
    for buyer_id in [*bad_ids, good.id or 0]:
        add_alert(settings, buyer_id)
    stop = asyncio.Event()
    loop = asyncio.create_task(run_deliveries(settings, stop))
    for _ in range(300):
        if all(d.status != "pending" for d in by_buyer(settings).values()):
            break
        await asyncio.sleep(0.1)
    stop.set()
    await asyncio.wait_for(loop, 30)
    rows = by_buyer(settings)
    assert [rows[b].status for b in bad_ids] == ["gave_up"] * 3
    assert rows[good.id or 0].status == "delivered"
    assert len(smtp_server.inbox.messages) == 1
    assert "never retrieved" not in caplog.text


def test_an_unexpected_error_fails_one_delivery_and_retries_are_bounded(
    mailing: Settings, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("surprise")

    monkeypatch.setattr(mail, "build_message", broken)
    settings = mailing.updated(delivery_max_attempts=2, delivery_backoff_s=0.0)
    buyer = add_buyer(settings, email="buyer@example.com", webhook_url=receiver.url)
    add_alert(settings, buyer.id or 0)
    # No backoff: the retry is due at once, and the second attempt is the last.
    assert deliver_due(settings) == {"delivered": 1, "failed": 1, "gave_up": 1}
    with db.session_scope(settings) as session:
        email = session.exec(select(Delivery).where(Delivery.channel == "email")).one()
    assert (email.status, email.attempts) == ("gave_up", 2)
    assert email.last_error == "internal error: RuntimeError: surprise"
    assert deliver_due(settings) == {}
