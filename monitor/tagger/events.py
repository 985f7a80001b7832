"""Event triggers and cues in a text: a cheap surface filter, then each trigger's status.

The phrases live in the data folder (triggers.csv, cues.csv; see lexicon.py for the notation).
The same phrases compile to the matchers (pipeline.py) and to one cheap surface regex that
tells which items cannot hold any cue at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from monitor.tagger.lexicon import Lexicon, Phrase, lexicon, parse_phrase


def all_phrases() -> Iterable[tuple[str, str, float]]:
    """Yield (label, phrase, weight): event triggers, then cues and impacts (weight 1.0)."""
    lex = lexicon()
    for event_type, phrases in lex.triggers.items():
        for key, weight in phrases.items():
            yield f"trigger:{event_type}", key, weight
    for cue, keys in lex.cues.items():
        for key in keys:
            yield f"cue:{cue}", key, 1.0
    for impact, keys in lex.impacts.items():
        for key in keys:
            yield f"impact:{impact}", key, 1.0


def vocabulary() -> set[str]:
    """Return every lemma the lexicon mentions."""
    return {w for _, key, _ in all_phrases() for w in parse_phrase(key).words}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


class SurfaceFilter:
    """A cheap test on lower-case text: could any phrase of the given labels match here?

    It is a superset of the Matcher. One compiled regex finds each phrase's longest word (as a
    prefix stem when long, as a whole word with an inflection when short, so "war" does not
    fire on "warn"); a phrase of several words must then match as a whole, words as stems in
    order, so "attack ~ shipping" does not let every shipping story through.
    """

    def __init__(self, labels: Iterable[str] = ("trigger:", "cue:recovery", "impact:")) -> None:
        prefixes = tuple(labels)
        irregular = lexicon().irregular
        self.phrases: dict[str, list[re.Pattern[str] | None]] = {}
        longs: set[str] = set()
        shorts: set[str] = set()
        for label, key, _ in all_phrases():
            if not label.startswith(prefixes):
                continue
            phrase = parse_phrase(key)
            head = max(phrase.words, key=len)
            whole = _phrase_regex(phrase, irregular) if len(phrase.words) > 1 else None
            for form in (_stem(head), *irregular.get(head, ())):
                (longs if len(head) > 4 or form != head else shorts).add(form)
                self.phrases.setdefault(form, []).append(whole)
        alt_long = "|".join(map(re.escape, sorted(longs, key=len, reverse=True)))
        alt_short = "|".join(map(re.escape, sorted(shorts, key=len, reverse=True)))
        self.regex = re.compile(rf"(?<![a-z])(?:({alt_long})|({alt_short}){_SUFFIX})")

    def __call__(self, lower: str) -> bool:
        """Return True when some phrase may match the lower-case text."""
        for found in self.regex.finditer(lower):
            for whole in self.phrases[found.group(1) or found.group(2)]:
                if whole is None or whole.search(lower):
                    return True
        return False


_SUFFIX = r"(?:[a-z]?(?:s|es|ed|d|ing|y))?(?![a-z])"


def _phrase_regex(phrase: Phrase, irregular: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    parts = []
    for i, word in enumerate(phrase.words):
        forms = "|".join(re.escape(f) for f in (_stem(word), *irregular.get(word, ())))
        if i:
            parts.append(r"(?:[\W]+[^\W]+){0,3}[\W]+" if phrase.gaps[i] else r"[\W]*")
        parts.append(rf"(?:{forms})[a-z]*")
    return re.compile(r"(?<![a-z])" + "".join(parts))


@dataclass(frozen=True)
class Match:
    """A lexicon phrase found in a doc: token span, character span, sentence."""

    label: str  # "trigger:<event type>", "cue:<kind>" or "impact:<impact type>"
    key: str
    weight: float
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    sent: int  # index of the sentence's first token


@dataclass(frozen=True)
class Trigger:
    """An event trigger and what its neighbourhood says about it."""

    match: Match
    event_type: str
    status: str  # asserted, negated, hedged, ended
    cue: Match | None  # the negation or hedge that changed the status


# How far (in tokens, same sentence) a cue reaches. Cues flagged `short` in cues.csv ("no",
# "if") only touch their neighbour; a `decision` verb after a trigger only the next word.
REACH = {"neg_before": 4, "neg_after": 3, "hedge_before": 6, "hedge_after": 2}
SHORT_REACH = 2
DECISION_REACH_AFTER = 1
# Decisions people take and reverse: only these are "suspended" or "lifted" (cues flagged
# `decision`); a typhoon is not "suspended", operations are.
ACTIONS = {"strike", "export_restriction", "sanctions", "pandemic_lockdown", "power_outage"}
# How each kind of cue near a trigger changes its status (an `ends` cue makes it "ended").
VERDICTS = (("neg_before", "negated"), ("neg_after", "negated"), ("hedge_before", "hedged"),
            ("hedge_after", "hedged"))  # fmt: skip


def _near(trigger: Match, cue: Match, kind: str, causes: list[Match], lex: Lexicon) -> bool:
    if cue.sent != trigger.sent:
        return False
    reach = SHORT_REACH if cue.key in lex.flags["short"] else REACH[kind]
    gap = (cue.end, trigger.start) if kind.endswith("before") else (trigger.end, cue.start)
    if cue.key in lex.flags["decision"] and kind == "neg_after":
        # "strike (was) suspended", not "lockdown, factories suspended"
        reach = DECISION_REACH_AFTER
    if not 0 <= gap[1] - gap[0] <= reach:
        return False
    # "suspended due to high winds": a cause in between means the cue is about the effect.
    return not any(gap[0] <= c.start < gap[1] for c in causes)


def resolve(matches: Iterable[Match]) -> list[Trigger]:
    """Mark each trigger asserted, negated ("strike averted"), hedged ("could strike") or
    ended ("strike ends", "ban lifted")."""
    matches = list(matches)
    cues = [m for m in matches if m.label.startswith("cue:")]
    causes = [c for c in cues if c.label == "cue:cause"]
    out = []
    for m in matches:
        if not m.label.startswith("trigger:"):
            continue
        event_type = m.label.removeprefix("trigger:")
        status, by = status_of(m, event_type, cues, causes)
        out.append(Trigger(m, event_type, status, by))
    return out


def status_of(
    m: Match, event_type: str, cues: list[Match], causes: list[Match]
) -> tuple[str, Match | None]:
    """Return a phrase's status (asserted, negated, hedged, ended) and the cue that set it."""
    lex = lexicon()
    decisions, ending = lex.flags["decision"], lex.flags["ends"]
    figure = next(
        (c for c in cues if c.label == "cue:figurative" and c.start <= m.start < c.end), None
    )
    if figure is not None:
        return "negated", figure
    for kind, verdict in VERDICTS:
        hit = next(
            (
                c for c in cues
                if c.label == f"cue:{kind}" and _near(m, c, kind, causes, lex)
                and (c.key not in decisions or event_type in ACTIONS)
            ),
            None,
        )  # fmt: skip
        if hit is not None:
            if hit.key in ending and cue_negated(hit, cues):
                return "asserted", None  # "no plan to lift the curbs": they stay
            return ("ended" if hit.key in ending else verdict), hit
    return "asserted", None


def cue_negated(cue: Match, cues: Sequence[Match]) -> bool:
    """Say whether a plain negation stands just before a cue ("no plan to lift", "not
    reopened"); negations that are themselves decisions ("suspend", "end") do not count."""
    lex = lexicon()
    return any(
        c.label == "cue:neg_before" and c.key not in lex.flags["decision"]
        and _near(cue, c, "neg_before", [], lex)
        for c in cues
    )  # fmt: skip
