"""What feeds wrote reaches a buyer as inert text."""

from __future__ import annotations

from monitor.delivery.render import clean, label, mail_content, names


def test_clean_strips_controls_and_bounds_length() -> None:
    assert clean("Port\r\nBcc: x\x1b[31m\u202eevil\u2028end") == "Port Bcc: x [31m evil end"
    assert clean("a" * 50, 10) == "a" * 9 + "…"


def test_labels_of_places_materials_and_evidence() -> None:
    assert label({"name": "Antwerp", "country": "BE"}) == "Antwerp"
    assert label({"text": "went on strike"}) == "went on strike"
    assert label({"unknown": 1}) == "" and label(42) == "42"
    assert names([{"name": "cocoa"}, "copper", {}]) == "cocoa, copper" and names("x") == ""


def test_a_sparse_alert_still_renders() -> None:
    subject, text, html = mail_content(
        [{"id": 1, "severity": "low", "incident": None}], digest=False
    )
    assert subject == "[low] Alert: incident"
    assert "Watch: your suppliers" in text and "<th>Severity</th><td>low</td>" in html


def test_the_cause_and_the_impacts_are_both_said() -> None:
    closed = {"type": "port_closure", "evidence": {"text": "closes"}}
    incident = {"title": "Typhoon closes Ningbo", "event_type": "storm", "impacts": [closed]}
    alert = {"id": 1, "severity": "high", "incident": incident}  # made before `why.cause`
    _, text, html = mail_content([alert], digest=False)
    assert "Event: storm — port closed" in text and "<td>storm — port closed</td>" in html
    why = {"cause": "storm — port closed, sailings cancelled"}
    _, text, _ = mail_content([{**alert, "why": why}], digest=True)
    assert "Event: storm — port closed, sailings cancelled" in text
