"""Slack and Teams destinations: payload shapes on a real local receiver, escaping, limits,
retries, digests, the SSRF guard, and a URL that never shows in full."""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlmodel import select

from monitor import db
from monitor.delivery.sender import deliver_due
from monitor.models import Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer, add_destination
from tests.servers.webhooks import Receiver

SECRET_PART = "T000/B000/XXXXsecretXXXX"


def secret_url(receiver: Receiver) -> str:
    """The receiver's URL with a path as secret as a real Slack webhook's."""
    return f"{receiver.url}/{SECRET_PART}"


def deliveries(settings: Settings) -> list[Delivery]:
    with db.session_scope(settings) as session:
        return list(session.exec(select(Delivery).order_by(Delivery.id)).all())


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    return [b["text"]["text"] for b in blocks if b["type"] == "section"]


def test_slack_gets_a_block_kit_alert_once(local: Settings, receiver: Receiver) -> None:
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    alert = add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"delivered": 1}
    assert deliver_due(local) == {}  # idempotent: never sent twice
    [got] = receiver.received
    assert got.path.endswith(SECRET_PART) and got.headers["idempotency-key"] == f"alert_{alert.id}"
    assert got.headers["content-type"] == "application/json"
    body = got.json()
    header, *sections, context = body["blocks"]
    assert header["type"] == "header" and header["text"]["type"] == "plain_text"
    assert header["text"]["text"].startswith("Alert: Green alert for tropical cyclone CALVINIA-19")
    assert len(header["text"]["text"]) <= 150
    assert [s["text"]["type"] for s in sections] == ["mrkdwn"] * len(sections)
    titles = [t.split("\n")[0] for t in texts(body["blocks"])]
    assert titles == ["*What happened*", "*Where*", "*Your materials and suppliers*",
                      "*Evidence*", "*Suggested suppliers*"]  # fmt: skip
    assert "*Materials:* sugar" in texts(body["blocks"])[2]
    assert "Cane Co-op (FJ)" in texts(body["blocks"])[4]
    assert context["type"] == "context" and f"alert {alert.id}" in context["elements"][0]["text"]
    assert body["text"].startswith("[") and "CALVINIA-19" in body["text"]  # the fallback
    [row] = deliveries(local)
    assert (row.channel, row.status, row.attempts) == ("slack", "delivered", 1)


def test_teams_gets_an_adaptive_card_in_a_message_envelope(
    local: Settings, receiver: Receiver
) -> None:
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "teams", secret_url(receiver))
    alert = add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"delivered": 1}
    body = receiver.received[0].json()
    assert body["type"] == "message"
    [attachment] = body["attachments"]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert card["$schema"] == "http://adaptivecards.io/schemas/adaptive-card.json"
    kinds = {element["type"] for element in card["body"]}
    assert kinds == {"TextBlock", "FactSet"}
    assert "CALVINIA-19" in card["body"][0]["text"] and card["body"][0]["weight"] == "Bolder"
    facts = {f["title"]: f["value"] for e in card["body"] if e["type"] == "FactSet"
             for f in e["facts"]}  # fmt: skip
    assert facts["Materials"] == "sugar" and "Severity" in facts
    assert f"alert {alert.id}" in card["body"][-1]["text"]


HOSTILE = "<!channel> see <https://evil.example|your bank> & [click](https://evil.example)"


def test_feed_text_cannot_make_links_or_mentions(local: Settings, receiver: Receiver) -> None:
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    add_destination(local, buyer.id or 0, "teams", secret_url(receiver) + "/teams")
    add_alert(local, buyer.id or 0, incident={"title": HOSTILE})
    assert deliver_due(local) == {"delivered": 2}
    by_path = {r.path.rsplit("/", 1)[-1]: r for r in receiver.received}
    slack = by_path[SECRET_PART.rsplit("/", 1)[-1]].json()
    header = slack["blocks"].pop(0)["text"]
    assert header["type"] == "plain_text" and "<!channel>" in header["text"]  # shown as typed
    mrkdwn = json.dumps(slack)  # the fallback, sections and context are all parsed by Slack
    assert "<" not in mrkdwn and ">" not in mrkdwn
    assert "&lt;!channel&gt;" in mrkdwn and "&amp; " in mrkdwn
    card = by_path["teams"].json()["attachments"][0]["content"]
    assert "\\[click\\]\\(https://evil.example\\)" in card["body"][0]["text"]


def test_sections_stay_below_slacks_limit(local: Settings, receiver: Receiver) -> None:
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    evidence = [{"text": f"evidence {i} & <more> " * 8} for i in range(200)]
    add_alert(local, buyer.id or 0, why={"materials": ["sugar"], "evidence": evidence})
    assert deliver_due(local) == {"delivered": 1}
    body = receiver.received[0].json()
    lengths = [len(t) for t in texts(body["blocks"])]
    assert max(lengths) < 3000 and any(n > 2800 for n in lengths)
    assert all(not t.rstrip("…").endswith(("&", "&l", "&lt", "&am", "&amp")) for t in
               texts(body["blocks"]))  # fmt: skip
    assert len(body["text"]) < 3000


def test_retries_with_backoff_and_never_shows_the_url(
    local: Settings, receiver: Receiver, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    receiver.statuses = [503, (429, {"retry-after": "120"}), 200]
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    add_alert(local, buyer.id or 0)
    now = datetime.now(UTC)
    assert deliver_due(local, now=now) == {"failed": 1}
    [row] = deliveries(local)
    assert "HTTP 503" in (row.last_error or "") and "127.0.0.1/…XXXX" in (row.last_error or "")
    assert row.next_attempt_at is not None
    wait = (row.next_attempt_at - now).total_seconds()
    assert local.delivery.backoff_s / 2 <= wait <= local.delivery.backoff_s
    now = row.next_attempt_at
    assert deliver_due(local, now=now) == {"failed": 1}
    [row] = deliveries(local)
    assert row.next_attempt_at is not None and row.next_attempt_at - now >= timedelta(seconds=120)
    assert deliver_due(local, now=row.next_attempt_at) == {"delivered": 1}
    assert len({r.headers["idempotency-key"] for r in receiver.received}) == 1
    assert len(receiver.received) == 3
    assert "secret" not in caplog.text and "secret" not in (row.last_error or "")


def test_a_slack_error_gives_up_at_once(local: Settings, receiver: Receiver) -> None:
    receiver.statuses = [404]  # Slack: channel_not_found
    buyer = add_buyer(local)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"gave_up": 1}
    assert "HTTP 404" in (deliveries(local)[0].last_error or "")


def test_the_ssrf_guard_refuses_at_send_time(tmp_path: Any, receiver: Receiver) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'guarded.db'}")
    db.upgrade(settings)
    buyer = add_buyer(settings)
    add_destination(settings, buyer.id or 0, "teams", secret_url(receiver))
    add_alert(settings, buyer.id or 0)
    assert deliver_due(settings) == {"gave_up": 1}
    error = deliveries(settings)[0].last_error or ""
    assert error.startswith("refused:") and "secret" not in error
    assert receiver.received == []


def test_a_digest_buyer_gets_one_message_for_the_period(
    local: Settings, receiver: Receiver
) -> None:
    buyer = add_buyer(local, digest_minutes=60)
    add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    first = add_alert(local, buyer.id or 0)
    add_alert(local, buyer.id or 0, version=2)
    assert deliver_due(local) == {}  # not before the period ends
    assert deliver_due(local, now=datetime.now(UTC) + timedelta(hours=1)) == {"delivered": 2}
    [got] = receiver.received
    assert got.headers["idempotency-key"].startswith(f"digest_{buyer.id}_")
    assert not got.headers["idempotency-key"].endswith(str(first.id))
    body = got.json()
    assert body["blocks"][0]["text"]["text"] == "Sourcing monitor digest: 2 alerts"
    assert len(texts(body["blocks"])) == 2


def test_a_removed_destination_fails_its_pending_delivery(
    local: Settings, receiver: Receiver
) -> None:
    buyer = add_buyer(local)
    destination = add_destination(local, buyer.id or 0, "slack", secret_url(receiver))
    add_alert(local, buyer.id or 0)
    with db.session_scope(local) as session:
        session.delete(session.get(type(destination), destination.id))
    assert deliver_due(local) == {"gave_up": 1}
    assert "no slack address" in (deliveries(local)[0].last_error or "")
    assert receiver.received == []
