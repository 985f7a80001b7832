"""Cut an RSS/Atom body down to what feedparser may read, before it reads anything.

feedparser reads the whole document before it returns the first entry, at some 10–40 µs of
Python per element, and keeps deep nesting on its stacks: a 10 MB feed of tiny entries took
80 s, one entry of a million nested tags over 3 minutes and 60 times the body in memory. The
body is cut at an entry boundary instead: past `MAX_ITEMS` entries, past `MAX_ELEMENTS`
elements, or at an entry nested deeper than `MAX_DEPTH`; the elements open at the cut are
closed, so a well-formed feed stays well-formed. What was cut is counted.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from xml.parsers import expat

from connectors.base import MAX_ITEMS, ParseError

MAX_ELEMENTS = 100_000  # elements feedparser reads from one body: a few seconds at worst
MAX_DEPTH = 64  # element nesting; real feeds nest under 10 deep, HTML content included
_ENTRY_TAG = re.compile(rb"<(?:[\w.-]+:)?(?:item|entry)[\s/>]")
_ENTRY = ("item", "entry")


class _Cut(Exception):
    """Stops expat at the first element over a limit: (byte offset, open tags kept, why)."""


def trim(
    body: bytes, *, items: int = MAX_ITEMS, elements: int = MAX_ELEMENTS, depth: int = MAX_DEPTH
) -> tuple[bytes, Counter[str]]:
    """Return the body cut to the limits, and what was cut, by reason."""
    starts = [m.start() for m in _ENTRY_TAG.finditer(body)]
    if body[:4].count(0):  # UTF-16/32: ASCII closing tags cannot be appended
        if body.count(b"<") > elements:
            raise ParseError(f"UTF-16/32 feed with more than {elements:,} tags: not read")
        return body, Counter()
    scan = _Scan(body, items=items, elements=elements, depth=depth)
    try:
        return scan.run(starts), scan.skipped
    except (expat.ExpatError, ValueError):
        pass
    # Not well-formed: feedparser's loose parser reads it, and a plain cut will do.
    cut = min(starts[items] if len(starts) > items else len(body), _tag_at(body, elements))
    if cut >= len(body):
        return body, Counter()
    why = f"entries over the parse limits ({items:,} entries, {elements:,} elements)"
    return body[:cut], Counter({why: max(1, sum(1 for s in starts if s >= cut))})


def _tag_at(body: bytes, n: int) -> int:
    """Return the offset of the `<` number `n + 1`, or the body's length."""
    match = next(islice(re.finditer(rb"<", body), n, None), None)
    return match.start() if match else len(body)


class _Scan:
    """One expat pass: where to cut, and which over-deep entries to leave out."""

    def __init__(self, body: bytes, *, items: int, elements: int, depth: int) -> None:
        self.body, self.items, self.elements, self.depth = body, items, elements, depth
        self.parser = expat.ParserCreate()
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.stack: list[str] = []
        self.below = 0  # elements open under the depth limit, counted, not stacked
        self.count = self.seen = 0
        self.entry: tuple[int, int] | None = None  # the open entry's offset and depth
        self.too_deep = False  # the open entry nests too deep: left out when it closes
        self.drops: list[tuple[int, int]] = []  # byte spans of entries left out
        self.skipped: Counter[str] = Counter()

    def run(self, starts: list[int]) -> bytes:
        """Return the body without what breaks the limits."""
        try:
            self.parser.Parse(self.body, True)
        except _Cut as stop:
            at, keep, why = stop.args
            self.skipped[f"entries {why}"] += max(1, sum(1 for s in starts if s >= at))
            closing = "".join(f"</{name}>" for name in reversed(self.stack[:keep])).encode()
            return self._kept(at) + closing
        return self._kept(len(self.body))

    def _kept(self, end: int) -> bytes:
        pieces, at = [], 0
        for start, stop in self.drops:
            pieces.append(self.body[at:start])
            at = stop
        pieces.append(self.body[at:end])
        return b"".join(pieces)

    def _start(self, name: str, _attrs: object) -> None:
        here = self.parser.CurrentByteIndex  # read now: once stopped, expat has moved on
        self.count += 1
        if self.entry is None and name.rsplit(":", 1)[-1] in _ENTRY:
            self.seen += 1
            self.entry, self.too_deep = (here, len(self.stack)), False
            if self.seen > self.items:
                raise _Cut(here, len(self.stack), f"over the {self.items:,}-entry limit")
        if self.count > self.elements:
            at, keep = self.entry or (here, len(self.stack))
            raise _Cut(at, keep, f"past the {self.elements:,}-element limit")
        if len(self.stack) >= self.depth:
            if self.entry is None:
                raise _Cut(here, len(self.stack), f"nested deeper than {self.depth} elements")
            self.too_deep = True
            self.below += 1
            return
        self.stack.append(name)

    def _end(self, _name: str) -> None:
        if self.below:
            self.below -= 1
            return
        self.stack.pop()
        if self.entry is None or len(self.stack) != self.entry[1]:
            return
        if self.too_deep:
            close = self.body.find(b">", self.parser.CurrentByteIndex) + 1
            self.drops.append((self.entry[0], close))
            self.skipped[f"entries nested deeper than {self.depth} elements"] += 1
        self.entry = None
