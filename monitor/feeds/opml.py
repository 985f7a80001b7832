"""OPML 2.0 feed lists: read one safely into feeds with tags, and write the feeds back out.

Folders (outlines that hold outlines) and the `category` attribute become tags, the way
FreshRSS, Miniflux and Tiny Tiny RSS keep their categories in the file. The file is hostile
input: it is read with the connectors' safe XML stream (no entities, no external resources),
must be UTF-8, and is refused whole, in one line, when it is not a plain OPML list.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from email.utils import format_datetime

from connectors.base import ParseError
from connectors.xmlsafe import XmlStream, local, screen_entities
from monitor.columns import utcnow
from monitor.errors import InvalidInput
from monitor.feeds.models import Feed

MAX_BYTES = 4 * 1024 * 1024  # a list of 10,000 feeds is about 2 MB
MAX_OUTLINES = 10_000
MAX_DEPTH = 32  # folders within folders
NAME_MAX = 200
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']+)["']""")
_BOM = b"\xef\xbb\xbf"


@dataclass
class Outline:
    """One feed of an OPML file: its address, its name and its tags (folders, categories)."""

    url: str
    name: str = ""
    tags: list[str] = field(default_factory=list)


def refuse(reason: str) -> InvalidInput:
    """Return the one error an unreadable OPML file gets."""
    return InvalidInput("file", f"not an OPML file we can import: {reason}; nothing was imported")


def check_utf8(body: bytes) -> None:
    """Refuse a body that is not UTF-8 text or declares another encoding."""
    if len(body) > MAX_BYTES:
        raise refuse(f"{len(body):,} bytes, over the {MAX_BYTES:,}-byte limit")
    try:
        body.removeprefix(_BOM).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise refuse(f"not UTF-8 (byte {exc.start:,}); save it as UTF-8") from None
    declared = _DECLARED.match(body.removeprefix(_BOM))
    if declared and declared.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        raise refuse(f"declares encoding {declared.group(1).decode('ascii', 'replace')!r}; "
                     "save it as UTF-8")  # fmt: skip


def parse(body: bytes) -> list[Outline]:
    """Return the feeds of an OPML document, in file order, or raise one InvalidInput."""
    check_utf8(body)
    try:
        screen_entities(body)
        stream = XmlStream(body)
        if stream.root.tag != "opml":
            raise refuse(f"the root element is <{local(stream.root.tag)}>, not <opml>")
        return _outlines(stream)
    except ParseError as exc:
        raise refuse(str(exc)) from None


def _outlines(stream: XmlStream) -> list[Outline]:
    found: list[Outline] = []
    folders: list[str | None] = []  # one per open outline: its title when it is a folder
    seen = 0
    for event, element in stream.events():
        if element.tag != "outline":
            continue
        if event == "end":
            folders.pop()
            element.clear()  # read: keep the tree from growing with the file
            continue
        seen += 1
        if seen > MAX_OUTLINES:
            raise refuse(f"more than {MAX_OUTLINES:,} outlines")
        if len(folders) >= MAX_DEPTH:
            raise refuse(f"outlines nested more than {MAX_DEPTH} deep")
        attrs = {key.lower(): value for key, value in element.attrib.items()}
        name = " ".join((attrs.get("title") or attrs.get("text") or "").split())[:NAME_MAX]
        url = (attrs.get("xmlurl") or "").strip()
        folders.append(None if url else name)
        if url:
            tags = [f for f in folders if f] + (attrs.get("category") or "").split(",")
            found.append(Outline(url=url, name=name, tags=tags))
    return found


def render(feeds: list[Feed], *, title: str = "sourcing-monitor feeds") -> bytes:
    """Return the feeds as an OPML 2.0 document: a folder per first tag, the rest as category."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(utcnow())
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.tags:
            first = feed.tags[0]
            if first not in folders:
                folders[first] = ET.SubElement(body, "outline", text=first, title=first)
            parent = folders[first]
        name = feed.name or feed.url
        attrs = {"type": "rss", "text": name, "title": name, "xmlUrl": feed.url}
        if len(feed.tags) > 1:
            attrs["category"] = ",".join(feed.tags[1:])
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"
