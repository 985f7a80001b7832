"""Find the materials of the lexicon (monitor/data/materials.json) named in a text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from monitor.tagger.datafiles import DATA, KEYED, NAMES, WORDS, read_rows, read_word_lists
from monitor.tagger.gazetteer import gazetteer, tokens
from monitor.tagger.place_context import Context
from monitor.vocab import Material, materials

# The lists of data/material_words.csv (README.md there says what each does): MaterialWords.
LISTS = {
    "needs_context": KEYED,
    "block_before": KEYED,
    "block_after": KEYED,
    "descriptive": NAMES,
    "in_passing": NAMES,
    "exposure": WORDS,
    "metal_names": NAMES,
    "capitalised": NAMES,
    "endings": KEYED,
    "yields_to": KEYED,
}
MIN_ENDING_WORD = 7  # a word named by its ending is at least this long ("valsartan", not "vir")
LONG_WORD = re.compile(rf"\b[^\W\d_]{{{MIN_ENDING_WORD},}}\b")


@dataclass(frozen=True)
class MaterialWords:
    """The words that tell whether a material's name stands for the material."""

    needs_context: dict[str, frozenset[str]]  # a common word names it only beside one of these
    block_before: dict[str, frozenset[str]]  # just before: not the material ("cooking oil")
    block_after: dict[str, frozenset[str]]  # just after: not the material ("oil painting")
    descriptive: frozenset[str]  # names of a vehicle or site: kept only when no other good is
    in_passing: frozenset[str]  # goods nearly every text touches: count only when exposed
    exposure: frozenset[str]  # supply, trade or outage words that expose those goods
    metal_names: frozenset[str]  # metals named together back each other ("lead and zinc")
    capitalised: frozenset[str]  # names written with capitals, so a capital tells nothing
    endings: dict[str, frozenset[str]]  # a word with one of these endings names it ("-sartan")
    yields_to: dict[str, frozenset[str]]  # a generic word gives way to these materials, named


@lru_cache(maxsize=1)
def material_words() -> MaterialWords:
    """Return the material word lists, read from the data folder on first use."""
    return read_material_words()


def read_material_words(directory: Path = DATA) -> MaterialWords:
    """Read data/material_words.csv; its names must be the lexicon's (materials.json)."""
    names = {n.lower() for m in materials().values() for n in (m.name, *m.synonyms)}
    return MaterialWords(
        **read_word_lists("material_words.csv", LISTS, directory, names).fields(LISTS)
    )


def read_producers(directory: Path = DATA) -> dict[str, Material]:
    """Read data/producers.csv: each firm's name (lower-case) and the material it makes."""
    lexicon = materials()
    producers: dict[str, Material] = {}
    for row in read_rows("producers.csv", ("name", "material"), directory):
        if row["material"] not in lexicon:
            raise row.error(f"{row['material']!r} is not a material of materials.json")
        if row["name"].lower() in producers:
            raise row.error(f"{row['name']!r} is listed twice")
        producers[row["name"].lower()] = lexicon[row["material"]]
    return producers


@dataclass(frozen=True)
class MaterialHit:
    """A material named in a text: canonical name, HS heading and character offsets."""

    name: str
    hs: str | None
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, dict[str, Material], frozenset[str]]:
    """Return the matcher of material names and producers, what each key names, and which
    keys are producers."""
    nlp = gazetteer().nlp
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_key: dict[str, Material] = {}
    for material in materials().values():
        for name in (material.name, *material.synonyms):
            by_key.setdefault(name.lower(), material)
    producers = read_producers()
    for name, material in producers.items():
        by_key.setdefault(name, material)
    for key in by_key:
        matcher.add(key, [nlp.make_doc(key)])
    return matcher, by_key, frozenset(producers)


def find_materials(text: str) -> list[MaterialHit]:
    """Return the materials named in text, in order (one hit per mention)."""
    if not isinstance(text, str):
        raise TypeError(f"find_materials() needs a str, not {type(text).__name__}")
    matcher, by_key, producers = _matcher()
    words = material_words()
    doc = tokens(text)
    ctx = Context(text, doc, (), gazetteer())
    taken: set[int] = set()
    hits: list[MaterialHit] = []
    described: list[MaterialHit] = []  # "container ship": the cargo, unless none is named
    generic: list[tuple[MaterialHit, frozenset[str]]] = []  # hits of `yields_to` words
    matches = [(doc.vocab.strings[m], s, e) for m, s, e in matcher(doc)]
    for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not taken.isdisjoint(range(start, end)):
            continue
        span = doc[start:end]
        if not (_is_producer(span) if key in producers else _is_material(ctx, key, span, words)):
            continue
        taken.update(range(start, end))
        material = by_key[key]
        hit = MaterialHit(material.name, material.hs, span.start_char, span.end_char, span.text)
        (described if key in words.descriptive else hits).append(hit)
        if key in words.yields_to:
            generic.append((hit, words.yields_to[key]))
    hits += _by_ending(text, doc, taken)
    if generic:  # "grain" is wheat, unless the text names the grain ("maize")
        named = {h.name for h in hits}
        hits = [h for h in hits if not any(h is g and named & y for g, y in generic)]
    return sorted(hits or described, key=lambda h: h.start)


def _by_ending(text: str, doc: Doc, taken: set[int]) -> list[MaterialHit]:
    """Return the words no name matched that end like a material's words ("valsartan");
    `doc` holds the tokens of `text`."""
    every, endings = _endings()
    lexicon = materials()
    hits = []
    for match in LONG_WORD.finditer(text):
        word = match.group().lower()
        if not word.endswith(every):
            continue
        name = next(name for name, ends in endings if word.endswith(ends))
        span = doc.char_span(*match.span())
        if span is None or len(span) != 1 or span.start in taken:
            continue
        material = lexicon[name]
        hits.append(MaterialHit(material.name, material.hs, span.start_char, span.end_char,
                                span.text))  # fmt: skip
    return hits


@lru_cache(maxsize=1)
def _endings() -> tuple[tuple[str, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """Return every material word ending, and each material's, as `str.endswith` takes them."""
    endings = tuple((name, tuple(ends)) for name, ends in sorted(material_words().endings.items()))
    return tuple(end for _, ends in endings for end in ends), endings


def _is_producer(span: Span) -> bool:
    """Say whether a producer's name stands for the firm: capitalised, not "Vale of Glamorgan"."""
    after = span.doc[span.end] if span.end < len(span.doc) else None
    return span.text[:1].isupper() and (after is None or after.lower_ != "of")


def _is_material(ctx: Context, key: str, span: Span, words: MaterialWords) -> bool:
    """Say whether a matched name stands for the material here, not a common word or a name."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start] if not t.is_space]
    after = [t.lower_ for t in doc[span.end : span.end + 2] if not t.is_space]
    near_before, near_after = before[-1:], after[:1]
    needs = words.needs_context.get(key)
    if needs is not None and not set(near_before + near_after) & needs:
        around = {t.lower_ for t in doc[max(0, span.start - 2) : span.end + 2]} - {key}
        if key not in words.metal_names or not around & words.metal_names:  # "lead and zinc"
            return False
    if key in words.in_passing and "\n" in ctx.text[: span.start_char]:  # not in the title
        around = {t.lower_ for t in doc[max(0, span.start - 2) : span.end + 2]}
        if not around & words.exposure:
            return False
    if set(near_before) & words.block_before.get(key, frozenset()):
        return False
    if set(near_after) & words.block_after.get(key, frozenset()):
        return False
    # "Rice University", "Silk Road", "Tin Can Island": a capitalised word mid-sentence is a name.
    text = span.text
    if text[:1].isupper() and not text.isupper() and key not in words.capitalised:
        if ctx.named_thing_follows(span):
            return False  # "Rice University said", "Iron Dome"
        return ctx.sentence_start(span) or ctx.headline(span)
    if text.isupper() and len(text) <= 4 and key not in words.capitalised:
        return ctx.headline(span)  # "OIL EXPORTS HALTED", but "your TIN number" is an acronym
    return True
