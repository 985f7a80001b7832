"""The event lexicon: triggers, cues and irregular forms (data/*.csv), read and checked once.

A phrase is a space-separated list of lemmas; `~` allows up to three tokens in between
("ban ~ export" matches "bans palm oil exports") and `word/N` or `word/V` restricts the
part of speech (noun or verb), so "fired 200 workers" is no fire. The same phrases compile
to the matchers (pipeline.py) and to one cheap surface regex (events.SurfaceFilter).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.tagger.datafiles import DATA, Row, read_rows
from monitor.vocab import EVENT_TYPES, IMPACTS

# What each kind of cue says (README.md has the long form).
CUE_KINDS = {
    "impact": "supply, output or transport stopped",
    "neg_before": "a negation just before a trigger",
    "neg_after": "a negation just after a trigger",
    "hedge_before": "a hedge just before a trigger",
    "hedge_after": "a hedge just after a trigger",
    "cause": 'the trigger that follows is the cause ("due to", "after")',
    "recovery": "something reopened, resumed or ended",
    "calm": "nothing was hit",
    "context": "markets, results, openings, deals, sport: not an event report",
    "figurative": '"a flood of orders"',
    "wildland": "land words that make a fire a wildfire",
    "vessel": "a ship: an armed attack on one is a piracy_attack",
}
NEAR = ("neg_before", "neg_after", "hedge_before", "hedge_after")
# Flags a cue row may carry, with the kinds each belongs to (README.md says what each does).
CUE_FLAGS = {
    "short": NEAR,
    "ends": ("neg_before", "neg_after"),
    "decision": ("neg_before", "neg_after"),
    "risk": ("hedge_before", "hedge_after"),
    "not_yet": ("hedge_after",),
    "genre": ("context",),
}
PARTS_OF_SPEECH = ("N", "V")


@dataclass(frozen=True)
class Phrase:
    """One lexicon entry: its lemmas, optional part-of-speech tags and gap markers."""

    key: str
    words: tuple[str, ...]
    pos: tuple[str | None, ...]
    gaps: tuple[bool, ...]  # gaps[i]: up to three tokens may come before words[i]


def parse_phrase(key: str) -> Phrase:
    """Split a lexicon phrase into lemmas, part-of-speech tags and gaps."""
    words: list[str] = []
    pos: list[str | None] = []
    gaps: list[bool] = []
    gap = False
    for part in key.split():
        if part == "~":
            gap = True
            continue
        word, _, tag = part.partition("/")
        words.append(word)
        pos.append(tag or None)
        gaps.append(gap)
        gap = False
    return Phrase(key, tuple(words), tuple(pos), tuple(gaps))


def phrase_problem(key: str) -> str | None:
    """Return what is wrong with a phrase as the matcher would read it, or None."""
    parts = key.split()
    if not parts or " ".join(parts) != key:
        return "words are separated by single spaces"
    if parts[0] == "~" or parts[-1] == "~" or "~ ~" in key:
        return "`~` stands between two words"
    if any("/" in part for part in parts[:-1]):
        return "only the last word may ask for a part of speech (/N or /V)"
    for part in parts:
        word, slash, tag = part.partition("/")
        if word != word.lower() or not word:
            return f"{part!r} is not a lower-case lemma"
        if slash and tag not in PARTS_OF_SPEECH:
            return f"{part!r} has a part of speech other than /N or /V"
    return None


@dataclass(frozen=True)
class Lexicon:
    """The phrases the matcher looks for, and what each one says."""

    triggers: dict[str, dict[str, float]]  # event type -> phrase -> weight, in file order
    cues: dict[str, tuple[str, ...]]  # cue kind -> phrases
    flags: dict[str, frozenset[str]]  # cue flag -> the phrases that carry it
    recovered: dict[str, str]  # recovery phrase -> the event it says ended
    irregular: dict[str, tuple[str, ...]]  # lemma -> irregular surface forms
    impacts: dict[str, tuple[str, ...]]  # impact type -> phrases that report it


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Return the event lexicon, read from the data folder on first use."""
    return read_lexicon()


def read_lexicon(directory: Path = DATA) -> Lexicon:
    """Read triggers.csv, cues.csv, irregular_forms.csv and impacts.csv; raise DataFileError on
    a bad row."""
    triggers = _read_triggers(directory)
    cues, flags, recovered = _read_cues(directory)
    irregular = _read_irregular(directory)
    return Lexicon(triggers, cues, flags, recovered, irregular, _read_impacts(directory))


def _check_phrase(row: Row, seen: dict[tuple[str, str], int], group: str) -> str:
    phrase = row["phrase"]
    problem = phrase_problem(phrase)
    if problem is not None:
        raise row.error(f"phrase {phrase!r}: {problem}")
    if (group, phrase) in seen:
        raise row.error(f"{phrase!r} is already under {group} (line {seen[group, phrase]})")
    seen[group, phrase] = row.line
    return phrase


def _event_type(row: Row, column: str) -> str:
    value = row[column]
    if value not in EVENT_TYPES:
        raise row.error(f"{column} {value!r} is not an event type of monitor/vocab.py")
    return value


def _read_triggers(directory: Path) -> dict[str, dict[str, float]]:
    triggers: dict[str, dict[str, float]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in read_rows("triggers.csv", ("event_type", "phrase", "weight"), directory):
        event_type = _event_type(row, "event_type")
        phrase = _check_phrase(row, seen, event_type)
        try:
            weight = float(row["weight"])
        except ValueError:
            raise row.error(f"weight {row['weight']!r} is not a number") from None
        if not math.isfinite(weight) or weight <= 0:
            raise row.error(f"weight {row['weight']!r} must be a positive number")
        triggers.setdefault(event_type, {})[phrase] = weight
    return triggers


def _read_impacts(directory: Path) -> dict[str, tuple[str, ...]]:
    impacts: dict[str, list[str]] = {}
    seen: dict[tuple[str, str], int] = {}
    for row in read_rows("impacts.csv", ("impact", "phrase"), directory):
        impact = row["impact"]
        if impact not in IMPACTS:
            raise row.error(f"impact {impact!r} is not one of monitor/vocab.py's IMPACTS")
        impacts.setdefault(impact, []).append(_check_phrase(row, seen, impact))
    return {impact: tuple(phrases) for impact, phrases in impacts.items()}


def _read_cues(
    directory: Path,
) -> tuple[dict[str, tuple[str, ...]], dict[str, frozenset[str]], dict[str, str]]:
    cues: dict[str, list[str]] = {}
    flagged: dict[str, dict[str, int]] = {flag: {} for flag in CUE_FLAGS}
    recovered: dict[str, str] = {}
    seen: dict[tuple[str, str], int] = {}
    rows = list(read_rows("cues.csv", ("kind", "phrase", "flags", "event_type"), directory))
    for row in rows:
        kind = row["kind"]
        if kind not in CUE_KINDS:
            raise row.error(f"kind {kind!r} is not one of {', '.join(CUE_KINDS)}")
        phrase = _check_phrase(row, seen, kind)
        cues.setdefault(kind, []).append(phrase)
        for flag in filter(None, row["flags"].split("|")):
            if kind not in CUE_FLAGS.get(flag, ()):
                raise row.error(f"flag {flag!r} does not fit a cue of kind {kind} (README.md)")
            flagged[flag][phrase] = row.line
        if row["event_type"]:
            if kind != "recovery":
                raise row.error("only a recovery cue names the event_type it ends")
            recovered[phrase] = _event_type(row, "event_type")
    for row in rows:  # a flag is the phrase's: the same phrase must carry it wherever it fits
        for flag, kinds in CUE_FLAGS.items():
            where = flagged[flag].get(row["phrase"])
            if where is not None and row["kind"] in kinds and flag not in row["flags"].split("|"):
                raise row.error(f"{row['phrase']!r} is flagged {flag} on line {where}, not here")
    flags = {flag: frozenset(phrases) for flag, phrases in flagged.items()}
    return {kind: tuple(phrases) for kind, phrases in cues.items()}, flags, recovered


def _read_irregular(directory: Path) -> dict[str, tuple[str, ...]]:
    irregular: dict[str, list[str]] = {}
    lemma_of: dict[str, tuple[str, int]] = {}
    for row in read_rows("irregular_forms.csv", ("lemma", "form"), directory):
        lemma, form = row["lemma"], row["form"]
        if not (lemma.isalpha() and form.isalpha() and lemma.islower() and form.islower()):
            raise row.error("lemma and form are lower-case words")
        if form in lemma_of:
            first, line = lemma_of[form]
            raise row.error(f"{form!r} is already a form of {first!r} (line {line})")
        lemma_of[form] = (lemma, row.line)
        irregular.setdefault(lemma, []).append(form)
    return {lemma: tuple(forms) for lemma, forms in irregular.items()}
