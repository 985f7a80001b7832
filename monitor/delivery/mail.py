"""Send alert e-mail over SMTP: plain text with an escaped HTML alternative."""

from __future__ import annotations

import smtplib
import ssl
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from monitor.buyers.contacts import email_address
from monitor.delivery.outcome import DELIVERED, Outcome
from monitor.settings import Settings


def build_message(
    settings: Settings, *, to: str, subject: str, text: str, html: str, message_id: str
) -> EmailMessage:
    """Return the message; ValueError when the recipient is not one plain address."""
    # Checked again at send time: a row stored before addresses were validated, or edited in
    # the database, must fail this one delivery, not the loop that sends it.
    address = email_address(to, ascii_only=True)
    try:
        recipient = Address(addr_spec=address)  # refuses display names, lists and line breaks
    except (MessageError, ValueError) as exc:
        raise ValueError(str(exc) or type(exc).__name__) from None
    msg = EmailMessage()
    msg["From"] = settings.smtp.from_address
    msg["To"] = recipient
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(
        idstring=message_id, domain=settings.smtp.from_address.rsplit("@")[-1]
    )
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    return msg


def send(settings: Settings, msg: EmailMessage) -> Outcome:
    """Hand `msg` to the configured SMTP server once (blocking: run it in a thread)."""
    host = settings.smtp.host
    if not host:
        return Outcome.failed("e-mail is not configured: set MONITOR_SMTP_HOST", permanent=True)
    try:
        with smtplib.SMTP(host, settings.smtp.port, timeout=settings.delivery.timeout_s) as smtp:
            if settings.smtp.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.smtp.user and settings.smtp.password:
                smtp.login(settings.smtp.user, settings.smtp.password.get_secret_value())
            smtp.send_message(msg)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted({code for code, _ in exc.recipients.values()})
        return Outcome.failed(f"SMTP refused the recipient ({codes})", permanent=min(codes) >= 500)
    except smtplib.SMTPAuthenticationError as exc:
        return Outcome.failed(f"SMTP login refused ({exc.smtp_code}) for user {settings.smtp.user}")
    except smtplib.SMTPResponseException as exc:
        # 5xx is a permanent refusal of this message; 4xx asks us to try again later.
        return Outcome.failed(f"SMTP answered {exc.smtp_code}", permanent=exc.smtp_code >= 500)
    except ValueError as exc:  # e.g. a header smtplib cannot encode: this message never goes
        return Outcome.failed(f"cannot send this message: {exc}", permanent=True)
    except (OSError, smtplib.SMTPException) as exc:
        return Outcome.failed(f"SMTP {host}:{settings.smtp.port}: {exc or type(exc).__name__}")
    return DELIVERED
