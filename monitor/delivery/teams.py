"""A Microsoft Teams Workflows-webhook message: an Adaptive Card 1.4 in a message envelope.

Office 365 connectors are retired; a Teams workflow ("Post to a channel when a webhook request
is received") takes this envelope. Card text is markdown, so feed text has the markdown
characters escaped: nothing from a feed can become a link or formatting.
"""

from __future__ import annotations

import re
from typing import Any

from monitor.delivery.chat import Message, Section, cut

CARD = "application/vnd.microsoft.card.adaptive"
MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def escape(text: str) -> str:
    """Return `text` with markdown's special characters backslash-escaped."""
    return MARKDOWN.sub(r"\\\1", text)


def text_block(text: str, **style: Any) -> dict[str, Any]:
    """Return a wrapping TextBlock."""
    return {"type": "TextBlock", "text": cut(text), "wrap": True, **style}


def section_items(section: Section) -> list[dict[str, Any]]:
    """Return the card elements of one section: a title, a FactSet, a bullet list."""
    items = [text_block(escape(section.title), weight="Bolder", separator=True, spacing="Medium")]
    if section.facts:
        facts = [{"title": escape(n), "value": cut(escape(v))} for n, v in section.facts]
        items.append({"type": "FactSet", "facts": facts})
    if section.bullets:
        items.append(text_block("\n".join(f"- {escape(b)}" for b in section.bullets)))
    return items


def payload(msg: Message) -> dict[str, Any]:
    """Return the JSON body a Teams Workflows webhook takes."""
    body = [text_block(escape(msg.heading), size="Large", weight="Bolder")]
    for section in msg.sections:
        body.extend(section_items(section))
    if msg.ref:
        body.append(text_block(escape(msg.ref), isSubtle=True, size="Small"))
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "fallbackText": cut(escape(msg.summary)),
        "msteams": {"width": "Full"},
        "body": body,
    }
    return {
        "type": "message",
        "summary": cut(msg.summary, 300),
        "attachments": [{"contentType": CARD, "contentUrl": None, "content": card}],
    }
