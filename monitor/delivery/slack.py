"""A Slack incoming-webhook message in Block Kit: header, mrkdwn sections, text fallback.

Feed text is escaped (`&`, `<`, `>`), so nothing from a feed can become a link, a mention
(`<!channel>`, `<@U…>`) or a channel reference in the buyer's workspace.
"""

from __future__ import annotations

from typing import Any

from monitor.delivery.chat import Message, Section, cut

HEADER_LIMIT = 150  # Slack's limit on a header block's text


def escape(text: str) -> str:
    """Return `text` with Slack's control characters escaped, as its API asks."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def mrkdwn(text: str) -> dict[str, str]:
    """Return a Block Kit mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def section_text(section: Section) -> str:
    """Return one section as mrkdwn, cut below Slack's 3,000-character limit."""
    lines = [f"*{escape(section.title)}*"]
    lines += [f"*{escape(name)}:* {escape(value)}" for name, value in section.facts]
    lines += [f"• {escape(bullet)}" for bullet in section.bullets]
    return cut("\n".join(lines))


def payload(msg: Message) -> dict[str, Any]:
    """Return the JSON body Slack's incoming webhook takes."""
    heading = msg.heading if len(msg.heading) <= HEADER_LIMIT else msg.heading[:149] + "…"
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": heading, "emoji": False}}
    ]
    for section in msg.sections:
        blocks.append({"type": "section", "text": mrkdwn(section_text(section))})
    if msg.ref:
        blocks.append({"type": "context", "elements": [mrkdwn(escape(msg.ref))]})
    # `text` is what notifications and clients without Block Kit show.
    return {"text": cut(escape(msg.summary)), "blocks": blocks, "unfurl_links": False}
