"""What a buyer receives: the webhook JSON documents and the e-mail text and HTML.

Every value in an alert came from a feed somewhere upstream, so e-mail text is stripped of
control and formatting characters and the HTML part escapes everything: no feed markup,
link or header line can reach a buyer's mail client.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from monitor.incidents.describe import cause_and_impacts
from monitor.models import Alert, AlertPublic

MAX_REPORTS = 5  # reports (sources) listed per alert in an e-mail
MAX_SUPPLIERS = 3  # suggested suppliers listed per material in an e-mail


def alert_document(alert: Alert) -> dict[str, Any]:
    """Return the alert as DESIGN.md's alert JSON, as a webhook carries it."""
    return {"type": "alert", **AlertPublic.model_validate(alert).model_dump(mode="json")}


def digest_document(buyer_id: int, alerts: list[dict[str, Any]]) -> dict[str, Any]:
    """Return one digest: the buyer's alerts of one period, oldest first."""
    return {"type": "digest", "buyer_id": buyer_id, "alerts": alerts}


def clean(value: Any, limit: int = 300) -> str:
    """Return `value` as one line of plain text: no control characters, bounded length."""
    text = "".join(
        " " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in str(value)
    )
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def label(value: Any) -> str:
    """Return a short name for a place, material, watch or evidence entry."""
    if isinstance(value, dict):
        for key in ("name", "label", "text", "code", "country", "id"):
            if value.get(key) not in (None, ""):
                return clean(value[key], 120)
        return ""
    return clean(value, 120)


def names(values: Any) -> str:
    """Return a comma-separated list of labels (empty for anything but a list)."""
    if not isinstance(values, list):
        return ""
    return ", ".join(n for n in (label(v) for v in values) if n)


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


@dataclass
class Block:
    """One part of an e-mail: a heading, labelled lines and a bullet list."""

    heading: str
    lines: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


def alert_block(doc: dict[str, Any], *, short: bool = False) -> Block:
    """Return the e-mail block for one alert document (short: digest entry or all-clear)."""
    incident = _dict(doc.get("incident"))
    title = clean(incident.get("title") or doc.get("incident_id") or "incident", 200)
    ref = f"alert {doc.get('id')} · incident {clean(doc.get('incident_id'), 64)}"
    ref += f" v{doc.get('incident_version')}"
    if doc.get("kind") == "all_clear":
        status = clean(incident.get("status") or "closed", 16)
        return Block(f"All clear: {title}", [("Incident", f"{status} ({ref})")])
    heading = ("Worse: " if doc.get("kind") == "worse" else "Alert: ") + title
    block = Block(heading)
    block.lines.append(("Severity", clean(doc.get("severity"), 16)))
    why = _dict(doc.get("why"))
    # Alerts made before impacts were kept have no `why.cause`: say it from the incident.
    said = why.get("cause") or (cause_and_impacts(incident) if incident.get("event_type") else "")
    block.lines.append(("Event", clean(said, 200)))
    place_names = names(why.get("places")) or names(incident.get("places"))
    block.lines.append(("Places", place_names or names(incident.get("countries"))))
    block.lines.append(
        ("Materials", names(why.get("materials")) or names(incident.get("materials")))
    )
    if short:
        block.lines = [(k, v) for k, v in [*block.lines, ("Ref", ref)] if v]
        return block
    block.lines.append(("Watch", label(why.get("watch")) if why.get("watch") else "your suppliers"))
    block.lines.append(("Evidence", names(why.get("evidence")) or names(incident.get("evidence"))))
    block.lines.append(("Ref", ref))
    for source in (incident.get("sources") or [])[:MAX_REPORTS]:
        if isinstance(source, dict):
            block.bullets.append(
                f"Report: {clean(source.get('title') or '', 160)} {clean(source.get('url') or '')}"
            )
    for suggestion in doc.get("suggestions") or []:
        if isinstance(suggestion, dict):
            suppliers = [
                f"{label(s)} ({clean(s.get('country') or '?', 8)})"
                for s in (suggestion.get("suppliers") or [])[:MAX_SUPPLIERS]
                if isinstance(s, dict)
            ]
            if suppliers:
                block.bullets.append(
                    f"Alternatives for {label(suggestion.get('material'))}: {', '.join(suppliers)}"
                )
    block.lines = [(k, v) for k, v in block.lines if v]
    return block


def mail_content(docs: list[dict[str, Any]], *, digest: bool) -> tuple[str, str, str]:
    """Return (subject, plain text, HTML) for one alert, or for a digest of several."""
    if digest:
        subject = f"Sourcing monitor digest: {len(docs)} alert{'s' if len(docs) != 1 else ''}"
        blocks = [alert_block(doc, short=True) for doc in docs]
    else:
        blocks = [alert_block(docs[0])]
        subject = f"[{clean(docs[0].get('severity'), 16)}] {blocks[0].heading}"
        if docs[0].get("kind") == "all_clear":
            subject = blocks[0].heading
    return clean(subject, 180), to_text(blocks), to_html(subject, blocks)


def to_text(blocks: list[Block]) -> str:
    """Return the plain-text e-mail body."""
    out: list[str] = []
    for block in blocks:
        out.append(block.heading)
        out.extend(f"{name}: {value}" for name, value in block.lines)
        out.extend(f"  - {bullet}" for bullet in block.bullets)
        out.append("")
    return "\n".join(out)


def to_html(title: str, blocks: list[Block]) -> str:
    """Return the HTML e-mail body; every value is escaped, none is a link."""
    esc = html.escape
    parts = [f"<!doctype html><html><head><title>{esc(clean(title))}</title></head><body>"]
    for block in blocks:
        parts.append(f"<h2>{esc(block.heading)}</h2>")
        if block.lines:
            rows = "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in block.lines)
            parts.append(f"<table>{rows}</table>")
        if block.bullets:
            parts.append("<ul>" + "".join(f"<li>{esc(b)}</li>" for b in block.bullets) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)
