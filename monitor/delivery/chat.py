"""What a chat message says about an alert, whatever the chat: titled sections of facts.

Slack (`slack.py`) and Teams (`teams.py`) format the same sections; the text is already plain
(`render.clean`), each chat escapes its own markup on top.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from monitor.delivery.render import alert_block, clean

SECTION_LIMIT = 2900  # Slack refuses a section text over 3,000 characters; keep a margin
MAX_DIGEST = 20  # alerts listed in one digest message (Slack allows 50 blocks a message)
REPORT, ALTERNATIVES = "Report: ", "Alternatives for "


@dataclass
class Section:
    """One titled part of a chat message: labelled facts, then a bullet list."""

    title: str
    facts: list[tuple[str, str]] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)


@dataclass
class Message:
    """One chat message: a heading, its sections and a reference line (alert and incident)."""

    heading: str
    summary: str  # the one-line plain text a notification shows
    sections: list[Section]
    ref: str = ""


def _facts(lines: dict[str, str], *names: str) -> list[tuple[str, str]]:
    return [(name, lines[name]) for name in names if lines.get(name)]


def alert_message(doc: dict[str, Any]) -> Message:
    """Return the chat message for one alert: what happened, where, what of the buyer's, why."""
    block = alert_block(doc)
    lines = dict(block.lines)
    reports = [b.removeprefix(REPORT) for b in block.bullets if b.startswith(REPORT)]
    alternatives = [b for b in block.bullets if b.startswith(ALTERNATIVES)]
    sections = [
        Section("What happened", _facts(lines, "Severity", "Event", "Incident")),
        Section("Where", _facts(lines, "Places")),
        Section("Your materials and suppliers", _facts(lines, "Materials", "Watch")),
        Section("Evidence", _facts(lines, "Evidence"), reports),
        Section("Suggested suppliers", bullets=alternatives),
    ]
    summary = " · ".join(v for v in (lines.get("Event"), lines.get("Places")) if v)
    severity = f"[{lines['Severity']}] " if lines.get("Severity") else ""
    return Message(
        block.heading,
        clean(f"{severity}{block.heading}: {summary}" if summary else block.heading, 600),
        [s for s in sections if s.facts or s.bullets],
        lines.get("Ref", ""),
    )


def digest_message(docs: list[dict[str, Any]]) -> Message:
    """Return one message for a digest: a short section per alert, the first MAX_DIGEST."""
    count = f"{len(docs)} alert{'s' if len(docs) != 1 else ''}"
    sections = []
    for doc in docs[:MAX_DIGEST]:
        block = alert_block(doc, short=True)
        sections.append(Section(block.heading, list(block.lines)))
    if len(docs) > MAX_DIGEST:
        sections.append(Section(f"… and {len(docs) - MAX_DIGEST} more alerts on the dashboard"))
    return Message(
        f"Sourcing monitor digest: {count}",
        clean("; ".join(s.title for s in sections[:5]), 600),
        sections,
    )


def message(docs: list[dict[str, Any]], *, digest: bool) -> Message:
    """Return the message for one alert, or for a digest of several."""
    return digest_message(docs) if digest else alert_message(docs[0])


def cut(text: str, limit: int = SECTION_LIMIT) -> str:
    """Return `text` within `limit` characters, never ending inside an `&…;` entity."""
    if len(text) <= limit:
        return text
    return re.sub(r"&[a-z#0-9]*$", "", text[: limit - 1]) + "…"
