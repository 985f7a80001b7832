"""A buyer's contacts as they are accepted: one plain e-mail address, an http(s) webhook URL."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

WEBHOOK_URL = re.compile(r"^https?://[^/\s]+")


def email_address(value: str, *, ascii_only: bool = False) -> str:
    """Return `value` as one normalised address (`ascii_only`: the IDNA form SMTP is sent to).

    Raise ValueError with the reason for anything else: display names, brackets, lists, line
    breaks, `..`, a domain without a dot. No DNS look-up: this must answer offline and at once.
    """
    try:
        # allow_smtputf8=False: smtplib cannot send to a non-ASCII local part without SMTPUTF8.
        checked = validate_email(value, check_deliverability=False, allow_smtputf8=False)
    except EmailNotValidError as exc:
        raise ValueError(str(exc)) from None
    return (checked.ascii_email or checked.normalized) if ascii_only else checked.normalized


def webhook_url(value: str) -> str:
    """Return `value` when it is an http:// or https:// URL with a host; ValueError otherwise."""
    if not WEBHOOK_URL.match(value):
        raise ValueError("webhook_url must be an http:// or https:// address")
    return value
