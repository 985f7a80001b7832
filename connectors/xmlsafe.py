"""Safe XML: a size cap, entity screening and defusedxml parsing that never fetches anything."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Collection, Iterator

import defusedxml
import defusedxml.ElementTree as DET

from connectors.base import ParseError

MAX_BYTES = 16 * 1024 * 1024  # the largest body parsed; real hazard feeds stay under a few MB

_ROOT = re.compile(rb"<[A-Za-z_]")
_COMMENT_OR_PI = re.compile(rb"<!--.*?-->|<\?.*?\?>", re.DOTALL)
_ENTITY = re.compile(rb"<!ENTITY([^>]*)>?", re.IGNORECASE)
# An entity feedparser may keep: one character reference or a short literal without references.
# Anything else (external, parameter, nested or large) is how XML bombs and XXE begin.
_SAFE_ENTITY = re.compile(
    rb"""\s+[\w.-]+\s+(?:"(?:&#\w+;|[^&"%]{0,64})"|'(?:&#\w+;|[^&'%]{0,64})')\s*"""
)


def check_size(body: bytes) -> None:
    """Refuse a body larger than `MAX_BYTES`."""
    if len(body) > MAX_BYTES:
        raise ParseError(f"body of {len(body):,} bytes exceeds the {MAX_BYTES:,}-byte limit")


def prologue(body: bytes) -> bytes:
    """Return what precedes the root element, NULs dropped so UTF-16/32 reads like ASCII.

    Comments and processing instructions are cut out first: a `<b>` inside one, before the
    DOCTYPE, would otherwise look like the root and hide the declarations after it.
    """
    plain = _COMMENT_OR_PI.sub(b" ", body[: 1024 * 1024].replace(b"\x00", b""))
    match = _ROOT.search(plain)
    return plain[: match.start()] if match else plain


def screen_entities(body: bytes) -> None:
    """Refuse entity declarations that could expand (XML bomb) or reach outside (XXE)."""
    for match in _ENTITY.finditer(prologue(body)):
        if not _SAFE_ENTITY.fullmatch(match.group(1)):
            raise ParseError(
                "refusing XML with an external, parameter or nested entity declaration "
                "(possible XML bomb or external entity)"
            )


def parse_xml(body: bytes) -> ET.Element:
    """Parse XML with defusedxml: no entity declarations, no external resources."""
    return XmlStream(body).document()


class XmlStream:
    """A document read as a stream of records (RSS items, Atom entries), one held at a time.

    The tree of a 10 MB feed of small items takes some 30 times the body in memory; a stream
    keeps one record, and each record is cleared once the caller has built its item. Same
    defusedxml guards: no entity declarations, no external resources.
    """

    def __init__(self, body: bytes) -> None:
        check_size(body)
        self._events = DET.iterparse(
            io.BytesIO(body),
            events=("start", "end"),
            forbid_dtd=False,
            forbid_entities=True,
            forbid_external=True,
        )
        first = next(self._guarded(), None)
        if first is None:
            raise ParseError("malformed XML: no root element")
        self.root: ET.Element = first[1]

    def records(self, names: Collection[str]) -> Iterator[ET.Element]:
        """Yield each complete element named in `names` whose parent is the root or a channel."""
        path: list[ET.Element] = [self.root]
        for event, element in self._guarded():
            if event == "start":
                path.append(element)
                continue
            path.pop()
            parent = path[-1] if path else None
            if parent is None or local(element.tag) not in names:
                continue
            if parent is self.root or (len(path) == 2 and local(parent.tag) == "channel"):
                yield element
                parent.remove(element)  # built: drop it, the tree never grows

    def document(self) -> ET.Element:
        """Read to the end and return the whole tree (for a single record such as a CAP alert)."""
        for _ in self._guarded():
            pass
        return self.root

    def events(self) -> Iterator[tuple[str, ET.Element]]:
        """Yield the ("start" | "end", element) events after the root's start, guarded."""
        return self._guarded()

    def _guarded(self) -> Iterator[tuple[str, ET.Element]]:
        try:
            yield from self._events
        except defusedxml.DefusedXmlException as exc:
            raise ParseError(
                f"refusing XML with entity declarations or external references ({exc})"
            ) from None
        except ET.ParseError as exc:
            raise ParseError(f"malformed XML: {exc}") from None
        except (ValueError, LookupError) as exc:  # unsupported or unknown declared encodings
            raise ParseError(f"cannot decode XML: {exc}") from None


def local(tag: object) -> str:
    """Return an element tag without its namespace (`{urn:…}event` → `event`)."""
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def namespace(tag: object) -> str:
    """Return the namespace URI of a tag, or an empty string."""
    return tag[1:].split("}", 1)[0] if isinstance(tag, str) and tag.startswith("{") else ""


def children(element: ET.Element, name: str) -> Iterator[ET.Element]:
    """Yield the direct children with this local name, whatever their namespace."""
    return (child for child in element if local(child.tag) == name)


def text(element: ET.Element | None, name: str | None = None) -> str | None:
    """Return the stripped text of the element (or of its first child `name`), or None if empty."""
    if element is not None and name is not None:
        element = next(children(element, name), None)
    if element is None or element.text is None:
        return None
    return element.text.strip() or None


def texts(element: ET.Element, name: str) -> list[str]:
    """Return the non-empty texts of every child with this local name."""
    return [value for child in children(element, name) if (value := text(child))]
