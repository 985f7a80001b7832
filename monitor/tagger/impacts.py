"""What happened to supply: the impacts an item reports (data/impacts.csv), beside its event.

"Typhoon closes Ningbo port" is a storm (the event) that closed a port (the impact). An impact
phrase counts unless a negation or hedge reaches it ("could halt output", "no flights were
cancelled"), by the same cues and reach as event triggers (events.py), or it overlaps a
trigger that is not asserted ("port workers vote to strike", "export restrictions removed").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.tagger.events import Match, Trigger, status_of

PREFIX = "impact:"


@dataclass(frozen=True)
class Impact:
    """One impact type and the phrase that first reports it."""

    type: str
    match: Match


def find_impacts(matches: Sequence[Match], triggers: Sequence[Trigger] = ()) -> list[Impact]:
    """Return each impact type the asserted impact phrases report, in text order, once."""
    cues = [m for m in matches if m.label.startswith("cue:")]
    unasserted = [t.match for t in triggers if t.status != "asserted"]
    causes = [c for c in cues if c.label == "cue:cause"]
    found: dict[str, Impact] = {}
    for m in matches:
        if not m.label.startswith(PREFIX):
            continue
        kind = m.label.removeprefix(PREFIX)
        if kind in found or any(t.start < m.end and m.start < t.end for t in unasserted):
            continue
        if status_of(m, "", cues, causes)[0] == "asserted":
            found[kind] = Impact(kind, m)
    return list(found.values())
