"""Find places in text, resolve ambiguous names, and rank the countries a text is about."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from spacy.tokens import Doc, Span

from monitor.tagger.gazetteer import Candidate, Place, fold, gazetteer, tokens
from monitor.tagger.place_context import AREAS, Context, PlaceHit, is_title

__all__ = ["Place", "PlaceHit", "affected_countries", "country_at", "find_places",
           "normalize_country"]  # fmt: skip

# Weights of one distinct place towards its country in affected_countries().
WEIGHTS = {"country": 3.0, "port": 3.0, "city": 3.0, "subdivision": 3.0, "region": 2.0}
STRONG = 2.0
ECHO_GAPS = ("(", "", "-", "/", ",")
LEAD, LATE = 300, 0.6  # characters counted as the lead; weight of mentions after it
OPEN_WATER = re.compile(r"\b(Sea|Ocean|Gulf|Bay|Mediterranean|Pacific|Atlantic|Caribbean|Arctic)\b")


def find_places(
    text: str, entity_spans: Sequence[tuple[int, int, str]] | None = None
) -> list[PlaceHit]:
    """Return the places named in text, in order; entity_spans are optional spaCy NER spans."""
    if not isinstance(text, str):
        raise TypeError(f"find_places() needs a str, not {type(text).__name__}")
    gaz = gazetteer()
    doc = tokens(text)
    ctx = Context(text, doc, entity_spans or (), gaz, ner=entity_spans is not None)
    spans = _longest_first(doc, [(doc.vocab.strings[m], s, e) for m, s, e in gaz.matcher(doc)])
    confident: list[PlaceHit] = [*ctx.code_hits()]
    pending: list[tuple[Span, list[Candidate]]] = []
    for key, span in spans:
        found = [c for c in gaz.entries[key] if _case_fits(c, span, ctx.words.function)]
        if not found or ctx.discard(span, found):
            continue
        if len({c.place.country for c in found}) > 1 or found[0].caution:
            pending.append((span, found))
        else:
            confident.append(_hit(ctx, span, found[0], ambiguous=False))
    support = {h.place.country for h in confident if h.role != "origin"}
    # Plain names ("Savannah") are settled first, so they can back the cautious ones ("Georgia").
    pending.sort(key=lambda p: bool(p[1][0].caution))
    for span, found in pending:
        chosen = ctx.resolve(span, found, support)
        if chosen is not None:
            confident.append(_hit(ctx, span, chosen, ambiguous=True))
            if not chosen.caution:
                support.add(chosen.place.country)
    return _drop_echoed_codes(sorted(confident, key=lambda h: h.start), text)


def _drop_echoed_codes(hits: list[PlaceHit], text: str) -> list[PlaceHit]:
    """Drop a LOCODE that only repeats the port just named: "Klaipeda (LTKLJ)"."""
    kept: list[PlaceHit] = []
    for hit in hits:
        prev = kept[-1] if kept else None
        same = prev is not None and hit.text == hit.place.locode and prev.place == hit.place
        if not same or text[prev.end if prev else 0 : hit.start].strip() not in ECHO_GAPS:
            kept.append(hit)
    return kept


def _longest_first(doc: Doc, matches: list[tuple[str, int, int]]) -> list[tuple[str, Span]]:
    """Keep the longest of overlapping matches ("Papua New Guinea" over "Guinea")."""
    taken: set[int] = set()
    kept: list[tuple[str, Span]] = []
    for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if taken.isdisjoint(range(start, end)):
            taken.update(range(start, end))
            kept.append((key, doc[start:end]))
    return kept


def _case_fits(candidate: Candidate, span: Span, function: frozenset[str]) -> bool:
    """Place names are capitalised; acronyms (US, UK, DRC) must be in capitals."""
    if candidate.exact:
        return not any(ch.islower() for ch in span.text)
    return any(is_title(t) for t in span if t.lower_ not in function and not t.is_punct)


def _hit(ctx: Context, span: Span, candidate: Candidate, *, ambiguous: bool) -> PlaceHit:
    role = ctx.role(span, candidate)
    return PlaceHit(candidate.place, span.start_char, span.end_char, span.text, ambiguous, role)


def affected_countries(hits: Sequence[PlaceHit]) -> list[str]:
    """Rank the countries the hits point at, main first (`country_scores`, `kept_by_rules`)."""
    return kept_by_rules(country_scores(hits))


def country_scores(hits: Sequence[PlaceHit]) -> list[tuple[str, float]]:
    """Score every country the hits point at, ranked, main first.

    Each distinct place counts once for its country: a country, city, port or subdivision 3,
    a demonym 2, a waterway 2 to its primary country (open water such as a sea or gulf: 1) and
    0.5 to the others, and a mere origin ("German carmaker", "Liberian-flagged", "Bank of
    China") or a route ("via the Cape of Good Hope") 0.5. Mentions after the first 300
    characters (past the title and lead) count 0.6 of that. Landmarks after the first distance
    reference ("...; 299 km SSW of Apia, Samoa") count 0.5, and a country qualifying the place
    just before it ("Apia, Samoa") adds nothing to it. Countries known only from weak
    mentions are dropped by `kept_by_rules` when any country scores 2 or more, and otherwise
    kept only if they score more than half the top score.
    """
    best: dict[tuple[str, str, str], float] = {}
    first: dict[str, int] = {}
    prev: PlaceHit | None = None
    for hit in sorted(hits, key=lambda h: h.start):
        qualifier = (  # "Apia, Samoa": the country only says where Apia is
            prev is not None
            and 0 < hit.start - prev.end <= 2
            and hit.place.kind in AREAS
            and prev.place.country == hit.place.country
        )
        prev = hit
        if qualifier:
            continue
        # The lead says what is hit; later text adds context.
        late = 1.0 if hit.start < LEAD else LATE
        for country, weight in _weights(hit):
            key = (country, hit.place.name, hit.role)
            best[key] = max(best.get(key, 0.0), weight * late)
            first.setdefault(country, hit.start)
    score: dict[str, float] = {}
    for (country, _, _), weight in best.items():
        score[country] = score.get(country, 0.0) + weight
    return [(c, score[c]) for c in sorted(score, key=lambda c: (-score[c], first[c]))]


def kept_by_rules(scored: Sequence[tuple[str, float]]) -> list[str]:
    """Keep the countries of `country_scores` that the rules call affected (see above)."""
    if not scored:
        return []
    top = scored[0][1]
    return [c for c, score in scored if score >= STRONG or (top < STRONG and score > top / 2)]


def _weights(hit: PlaceHit) -> list[tuple[str, float]]:
    place = hit.place
    if hit.role in ("origin", "route", "reference"):
        country = place.country or (place.affects[0] if place.affects else None)
        return [(country, 0.5)] if country else []
    if hit.role == "demonym":
        return [(place.country, STRONG)] if place.country else []
    if place.affects:
        primary = 1.0 if OPEN_WATER.search(place.name) else STRONG
        return [(place.affects[0], primary)] + [(c, 0.5) for c in place.affects[1:]]
    return [(place.country, WEIGHTS.get(place.kind, STRONG))] if place.country else []


def country_at(lat: float, lon: float) -> str | None:
    """Return the country a point lies in or near (nearest known city or port within 300 km)."""
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or math.isnan(lat + lon):
        raise ValueError(f"not a coordinate: lat={lat!r}, lon={lon!r}")
    return gazetteer().nearest_country(lat, lon)


def normalize_country(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for a code, name, alias or demonym, or None."""
    gaz = gazetteer()
    key = fold(value).strip().lower()
    if key.startswith("the "):
        key = key[4:]
    if len(key) == 2 and key.upper() in gaz.countries:
        return key.upper()
    return gaz.names.get(key)
