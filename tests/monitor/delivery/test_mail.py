"""E-mail: received by a real aiosmtpd server, feed text escaped, digests, refusals."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from pydantic import SecretStr
from sqlmodel import select

from monitor import db
from monitor.delivery.sender import deliver_due
from monitor.models import Delivery
from monitor.settings import Settings
from tests.builders import add_alert, add_buyer
from tests.servers.smtp import Inbox, LocalController, Smtp

HOSTILE = "<script>alert(1)</script> Port <b>closed</b>\r\nBcc: victim@example.com"


def parse(envelope: object) -> EmailMessage:
    message = email.message_from_bytes(envelope.original_content, policy=default)  # type: ignore[attr-defined]
    assert isinstance(message, EmailMessage)
    return message


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def test_alert_mail_arrives_with_feed_text_escaped(mailing: Settings, smtp_server: Smtp) -> None:
    buyer = add_buyer(mailing, email="buyer@example.com")
    alert = add_alert(mailing, buyer.id or 0, incident={"title": HOSTILE})
    assert deliver_due(mailing) == {"delivered": 1}
    [envelope] = smtp_server.inbox.messages
    assert envelope.rcpt_tos == ["buyer@example.com"]
    message = parse(envelope)
    assert "\n" not in message["Subject"] and "victim" not in str(message["Bcc"] or "")
    assert message["Subject"].startswith("[high] Alert: <script>")
    text, html = parts(message)
    assert "Severity: high" in text and "Watch: sugar from Mauritius" in text
    assert f"alert {alert.id} · incident inc-gdacs-1000643 v1" in text
    assert "Alternatives for sugar: Cane Co-op (FJ)" in text
    assert "<script>" not in html and "<b>closed" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Port &lt;b&gt;closed&lt;/b&gt;" in html
    assert "<a " not in html  # no feed URL becomes a link


def test_all_clear_is_short(mailing: Settings, smtp_server: Smtp) -> None:
    buyer = add_buyer(mailing, email="buyer@example.com")
    add_alert(mailing, buyer.id or 0, 2, kind="all_clear", incident={"status": "closed"})
    assert deliver_due(mailing) == {"delivered": 1}
    message = parse(smtp_server.inbox.messages[0])
    assert message["Subject"].startswith("All clear: Green alert for tropical cyclone")
    text, _ = parts(message)
    assert len(text.strip().splitlines()) == 2 and "Incident: closed" in text


def test_digest_mail_holds_the_period(mailing: Settings, smtp_server: Smtp) -> None:
    from datetime import UTC, datetime, timedelta

    buyer = add_buyer(mailing, email="buyer@example.com", digest_minutes=30)
    add_alert(mailing, buyer.id or 0, 1)
    add_alert(mailing, buyer.id or 0, 2, kind="worse", severity="critical")
    add_alert(mailing, buyer.id or 0, 3, kind="all_clear")
    assert deliver_due(mailing) == {}  # held until the period ends
    assert deliver_due(mailing, now=datetime.now(UTC) + timedelta(minutes=30)) == {"delivered": 3}
    [envelope] = smtp_server.inbox.messages
    message = parse(envelope)
    assert message["Subject"] == "Sourcing monitor digest: 3 alerts"
    text, _ = parts(message)
    headings = [line.split(":")[0] for line in text.splitlines() if ": " in line]
    assert [h for h in headings if h in ("Alert", "Worse", "All clear")] == [
        "Alert",
        "Worse",
        "All clear",
    ]
    assert "Severity: critical" in text


def test_unconfigured_refused_and_unreachable(local: Settings, smtp_server: Smtp) -> None:
    buyer = add_buyer(local, email="buyer@example.com")
    add_alert(local, buyer.id or 0)
    assert deliver_due(local) == {"gave_up": 1}  # no MONITOR_SMTP_HOST
    with db.session_scope(local) as session:
        assert "MONITOR_SMTP_HOST" in (session.exec(select(Delivery)).one().last_error or "")

    mailing = local.updated(**{"smtp_host": smtp_server.host, "smtp_port": smtp_server.port})
    smtp_server.inbox.refuse = "550 no such user"
    add_alert(mailing, buyer.id or 0, 2)
    assert deliver_due(mailing) == {"gave_up": 1}
    smtp_server.inbox.refuse = "451 try later"
    add_alert(mailing, buyer.id or 0, 3)
    assert deliver_due(mailing) == {"failed": 1}

    down = mailing.updated(smtp_port=9)
    add_alert(down, buyer.id or 0, 4)
    assert deliver_due(down) == {"failed": 1}

    bad = add_buyer(local, name="bad", email="a@example.com\r\nBcc: victim@example.com")
    add_alert(mailing, bad.id or 0)
    assert deliver_due(mailing) == {"gave_up": 1}


def test_login_failure_keeps_the_password_out(
    local: Settings, caplog: pytest.LogCaptureFixture
) -> None:
    def authenticate(*args: object) -> AuthResult:
        return AuthResult(success=False, handled=False)

    controller: Controller = LocalController(
        Inbox(), hostname="127.0.0.1", port=0, authenticator=authenticate, auth_require_tls=False
    )
    controller.start()
    try:
        settings = local.updated(
            **{
                "smtp_host": "127.0.0.1",
                "smtp_port": controller.port,
                "smtp_user": "mailer",
                "smtp_password": SecretStr("hunter2-secret"),
            }
        )
        buyer = add_buyer(settings, email="buyer@example.com")
        add_alert(settings, buyer.id or 0)
        assert deliver_due(settings) == {"failed": 1}
    finally:
        controller.stop()
    with db.session_scope(local) as session:
        error = session.exec(select(Delivery)).one().last_error or ""
    assert "login refused" in error and "hunter2" not in error and "hunter2" not in caplog.text
