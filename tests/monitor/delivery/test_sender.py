"""The send loop: channels never wait on each other, digests go out once, failures never stop it."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select
from standardwebhooks.webhooks import Webhook

from monitor import db
from monitor.delivery.sender import deliver_due, deliver_once, run_deliveries
from monitor.models import Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer
from tests.servers.smtp import Smtp
from tests.servers.webhooks import Receiver


def statuses(settings: Settings) -> dict[str, str]:
    with db.session_scope(settings) as session:
        return {d.channel: d.status for d in session.exec(select(Delivery)).all()}


async def test_a_hanging_webhook_does_not_hold_up_email(
    mailing: Settings, receiver: Receiver, smtp_server: Smtp
) -> None:
    receiver.release = threading.Event()  # the webhook receiver holds every request
    buyer = add_buyer(mailing, email="buyer@example.com", webhook_url=receiver.url)
    add_alert(mailing, buyer.id or 0)
    sending = asyncio.create_task(deliver_once(mailing))
    assert await asyncio.to_thread(smtp_server.inbox.arrived.wait, 30)
    assert await asyncio.to_thread(receiver.arrived.wait, 30)
    # The mail is delivered and recorded while the webhook is still waiting for its answer.
    for _ in range(300):
        if statuses(mailing)["email"] == "delivered":
            break
        await asyncio.sleep(0.1)
    assert statuses(mailing) == {"email": "delivered", "webhook": "pending"}
    assert not sending.done()
    receiver.release.set()
    assert await sending == {"delivered": 2}


def test_digest_webhook_is_one_signed_message(local: Settings, receiver: Receiver) -> None:
    buyer = add_buyer(local, webhook_url=receiver.url, digest_minutes=60)
    first = add_alert(local, buyer.id or 0, 1)
    add_alert(local, buyer.id or 0, 2, kind="worse")
    assert deliver_due(local) == {}
    assert deliver_due(local, now=datetime.now(UTC) + timedelta(hours=1)) == {"delivered": 2}
    [got] = receiver.received
    payload = Webhook(buyer.webhook_secret or "").verify(got.body, got.headers)
    assert payload["type"] == "digest" and payload["buyer_id"] == buyer.id
    assert [a["kind"] for a in payload["alerts"]] == ["new", "worse"]
    assert payload["alerts"][0]["id"] == first.id
    assert got.headers["webhook-id"].startswith(f"digest_{buyer.id}_")


async def test_run_deliveries_sends_as_alerts_arrive(local: Settings, receiver: Receiver) -> None:
    settings = local.updated(delivery_poll_s=0.2)
    stop = asyncio.Event()
    loop = asyncio.create_task(run_deliveries(settings, stop))
    buyer = add_buyer(settings, webhook_url=receiver.url)
    add_alert(settings, buyer.id or 0)
    assert await asyncio.to_thread(receiver.arrived.wait, 30)
    for _ in range(300):
        if statuses(settings) == {"webhook": "delivered"}:
            break
        await asyncio.sleep(0.1)
    assert statuses(settings) == {"webhook": "delivered"}
    stop.set()
    await asyncio.wait_for(loop, 30)
    assert len(receiver.received) == 1


async def test_run_deliveries_outlives_a_broken_database(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An unmigrated database: every query fails, the loop logs and goes on.
    broken = Settings(database_url=f"sqlite:///{tmp_path / 'empty.db'}", delivery_poll_s=0.05)
    stop = asyncio.Event()
    loop = asyncio.create_task(run_deliveries(broken, stop))
    for _ in range(300):
        if "cannot read due deliveries" in caplog.text:
            break
        await asyncio.sleep(0.1)
    assert not loop.done()
    stop.set()
    await asyncio.wait_for(loop, 30)
    assert "cannot read due deliveries (will retry): " in caplog.text
