"""Tag items with the disruption they report: the `monitor tag` contract of docs/design.md.

Evidence offsets (`start`, `end`) are character offsets into `title + "\\n" + body`: the one
string the tagger reads, so a consumer can rebuild it from the item and slice it.
`impacts` (what happened to supply, beside the event) are listed for disruptions only.
`event_type` and `severity` are null for items that are not disruptions (a recovery keeps the
event type of what ended, with a null severity). Items the cheap first pass settles (no trigger
anywhere: most news) get no place or material extraction, only the countries their hints give:
the monitor cares where disruptions are, and the gazetteer would cost more than the rest of
the cascade. `all_places=True` extracts them for every item.
Structured hints win over the text: `lat`/`lon` and `country_hint` over countries found in the
text, `event_hint` over triggers, `severity_hint` (and the feed's `extra`) over text cues.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import islice
from typing import Any

from monitor.tagger import classify, events, pipeline, roles, severity
from monitor.tagger.impacts import Impact, find_impacts
from monitor.tagger.materials import find_materials
from monitor.tagger.places import (
    PlaceHit,
    country_at,
    find_places,
    normalize_country,
)
from monitor.vocab import EVENT_TYPES

log = logging.getLogger(__name__)

CHUNK = 256  # items per nlp.pipe call; large enough to batch, small enough to stream


@dataclass(frozen=True)
class Prepared:
    """A valid item with the text the tagger reads."""

    item: Mapping[str, Any]
    text: str
    title_len: int


def prepare(item: Any) -> Prepared:
    """Check an item's shape and build its text; raise ValueError with a one-line reason."""
    if not isinstance(item, Mapping):
        raise ValueError("item is not a JSON object")
    if item.get("id") in (None, ""):
        raise ValueError("missing id")
    title, body = item.get("title") or "", item.get("body") or ""
    if not isinstance(title, str) or not isinstance(body, str):
        raise ValueError("title and body must be strings")
    return Prepared(item, f"{title}\n{body}", len(title))


def error_record(item: Any, message: str) -> dict[str, Any]:
    """Return the contract's error line for an item that cannot be tagged."""
    item_id = item.get("id") if isinstance(item, Mapping) else None
    return {"id": item_id, "error": message}


def tag_items(items: Iterable[Any], *, all_places: bool = False) -> Iterator[dict[str, Any]]:
    """Tag items in order: one output dict per input, an error dict for a bad one."""
    iterator = iter(items)
    while chunk := tuple(islice(iterator, CHUNK)):
        yield from _tag_chunk(chunk, all_places=all_places)


Analysed = tuple[Any, "Prepared | str", Any | None, "list[PlaceHit] | Exception | None"]


def analyse_chunk(chunk: tuple[Any, ...], *, all_places: bool = False) -> list[Analysed]:
    """Return (item, prepared item or its error, doc or None, places or their error) per item."""
    prepared: list[Prepared | str] = []
    for item in chunk:
        try:
            prepared.append(prepare(item))
        except ValueError as exc:
            prepared.append(str(exc))
    # The cascade: only items the cheap pass cannot settle are tokenised and matched.
    wanted = [i for i, p in enumerate(prepared) if isinstance(p, Prepared) and _worth_it(p)]
    docs = _analyse([prepared[i].text for i in wanted])  # type: ignore[union-attr]
    doc_of = dict(zip(wanted, docs, strict=True))
    hits_of = _find_places(prepared, doc_of, all_places=all_places)
    return [
        (item, p, doc_of.get(i), hits_of.get(i))
        for i, (item, p) in enumerate(zip(chunk, prepared, strict=True))
    ]


def _tag_chunk(chunk: tuple[Any, ...], *, all_places: bool) -> Iterator[dict[str, Any]]:
    for item, p, doc, hits in analyse_chunk(chunk, all_places=all_places):
        if isinstance(p, str):
            yield error_record(item, p)
            continue
        try:
            if isinstance(hits, Exception):
                raise hits
            yield tag_prepared(p, doc, hits)
        except Exception as exc:  # one bad item must not stop the others
            log.exception("tagging item %r failed", p.item.get("id"))
            yield error_record(item, f"tagging failed: {exc}")


def _find_places(
    prepared: list[Prepared | str], doc_of: dict[int, Any], *, all_places: bool
) -> dict[int, list[PlaceHit] | Exception | None]:
    """Find places for the items past the cheap pass (or all); NER, batched, only on the
    sentences that hold an ambiguous place name ("Georgia", "Jordan")."""
    hits_of: dict[int, list[PlaceHit] | Exception | None] = {}
    for i, p in enumerate(prepared):
        if isinstance(p, Prepared):
            try:
                hits_of[i] = find_places(p.text) if i in doc_of or all_places else None
            except Exception as exc:
                hits_of[i] = exc
    unsure = [i for i, d in doc_of.items() if d is not None and _ambiguous(hits_of[i])]
    requests = [
        (prepared[i].text, [(h.start, h.end) for h in hits_of[i] if h.ambiguous])  # type: ignore[union-attr]
        for i in unsure
    ]
    try:
        spans = pipeline.add_entities(requests)
    except Exception:  # NER only refines places; keep the first answer when it fails
        log.exception("NER failed; places stay as the gazetteer found them")
        return hits_of
    for i, found in zip(unsure, spans, strict=True):
        try:
            hits_of[i] = find_places(prepared[i].text, found)  # type: ignore[union-attr]
        except Exception as exc:
            hits_of[i] = exc
    return hits_of


def _ambiguous(hits: list[PlaceHit] | Exception | None) -> bool:
    return isinstance(hits, list) and any(h.ambiguous for h in hits)


def _worth_it(p: Prepared) -> bool:
    """Return True when the matching pass can add something to this item."""
    return bool(p.item.get("event_hint")) or pipeline.is_candidate(p.text)


def _analyse(texts: list[str]) -> list[Any]:
    try:
        return list(pipeline.analyse(texts))
    except Exception:  # fall back to one text at a time so one bad text costs only itself
        log.exception("batch analysis failed; retrying item by item")
        docs: list[Any] = []
        for text in texts:
            try:
                docs.extend(pipeline.analyse([text]))
            except Exception:
                docs.append(None)
        return docs


def tag_prepared(p: Prepared, doc: Any | None, hits: list[PlaceHit] | None) -> dict[str, Any]:
    """Tag one prepared item, given its doc when the cascade asked for one, and its places
    (None when the cheap pass settled it and no extraction was asked for)."""
    item, text = p.item, p.text
    matches = pipeline.find_matches(doc) if doc is not None else []
    triggers = events.resolve(matches)
    cues = [m for m in matches if m.label.startswith("cue:")]
    impacts = find_impacts(matches, triggers)
    asserted = [(t.match.start_char, t.match.end_char) for t in triggers if t.status == "asserted"]
    hinted_countries = hint_countries(item)
    countries = hinted_countries or roles.judge(hits or [], text, p.title_len, asserted)
    if hits is not None and not hinted_countries:
        hits = [h for h in hits if _in_countries(h, countries)]
    event_hint = item.get("event_hint") if item.get("event_hint") in EVENT_TYPES else None
    hinted = severity.from_hints(item)
    magnitude = severity.magnitude(item, text) if event_hint == "earthquake" else None
    if hinted is None and magnitude is not None:
        hinted = severity.magnitude_severity(magnitude)
    verdict = classify.decide(
        triggers=triggers, cues=cues, title_len=p.title_len, event_hint=event_hint,
        has_country=bool(countries), magnitude=magnitude, impacts=impacts,
        asked_from=question_start(text[: p.title_len]),
        lead_end=lead_end(text, p.title_len),
    )  # fmt: skip
    evidence = [_evidence(m.start_char, m.end_char, text, why) for m, why in verdict.evidence]
    grade = None
    if verdict.is_disruption:
        grade, graded_by = hinted, list[tuple[int, int, str]]()
        if grade is None:
            grade, graded_by = severity.from_text(text) if not event_hint else ("low", [])
        evidence += [_evidence(s, e, text, why) for s, e, why in graded_by]
    return {
        "id": item["id"],
        "is_disruption": verdict.is_disruption,
        "recovery": verdict.recovery,
        "event_type": verdict.event_type,
        "impacts": _impacts(impacts, text) if verdict.is_disruption else [],
        "countries": countries,
        "places": _places(hits or []),
        "materials": [] if hits is None else _materials(text),
        "severity": grade,
        "confidence": verdict.confidence,
        "evidence": evidence,
    }


SHORT_LINE_WORDS = 4  # a first body line this short ("Update 2 March 2023") is a heading


def lead_end(text: str, title_len: int) -> int:
    """Return where the body's first sentence ends; a short first line that is only a heading
    or a date ("Update 2 March 2023\nThe strike is over.") gives way to the next sentence."""
    start = title_len + 1
    end = pipeline.sentence_around(text, start, start)[1]
    line = text[start:end]
    if line.endswith("\n") and len(line.split()) <= SHORT_LINE_WORDS and end < len(text):
        end = pipeline.sentence_around(text, end, end)[1]
    return end


CLAUSE_BREAK = re.compile(r".*(?:[.!?:;|]|\s[-–—]\s)")


def question_start(title: str) -> int | None:
    """Return where a title's closing question starts (after the last clause break), or None."""
    if not title.rstrip().endswith("?"):
        return None
    asked = title.rstrip()[:-1]
    found = CLAUSE_BREAK.match(asked)
    return found.end() if found else 0


def hint_countries(item: Mapping[str, Any]) -> list[str]:
    """Return the countries the feed states: `country_hint`, else the one at `lat`/`lon`."""
    out: list[str] = []
    hints = item.get("country_hint") or []
    for value in [hints] if isinstance(hints, str) else hints:
        code = normalize_country(value) if isinstance(value, str) else None
        if code and code not in out:
            out.append(code)
    lat, lon = item.get("lat"), item.get("lon")
    if not out and isinstance(lat, int | float) and isinstance(lon, int | float):
        code = country_at(float(lat), float(lon))
        if code:
            out.append(code)
    return out


def _in_countries(hit: PlaceHit, countries: list[str]) -> bool:
    """Say whether a place can be a site: in a country judged a site, or in none ("Europe").
    A place in a country named as an actor or background ("reported from New York") is not."""
    place = hit.place
    if not place.country and not place.affects:
        return True
    return place.country in countries or bool(set(place.affects) & set(countries))


def _places(hits: Iterable[PlaceHit]) -> list[dict[str, Any]]:
    seen, out = set(), []
    for hit in hits:
        pl = hit.place
        key = (pl.name, pl.country, pl.kind)
        if key not in seen:
            seen.add(key)
            out.append({"name": pl.name, "country": pl.country, "kind": pl.kind,
                        "subdivision": pl.subdivision, "locode": pl.locode, "lat": pl.lat,
                        "lon": pl.lon})  # fmt: skip
    return out


def _materials(text: str) -> list[dict[str, Any]]:
    seen, out = set(), []
    for hit in find_materials(text):
        if hit.name not in seen:
            seen.add(hit.name)
            out.append({"name": hit.name, "hs": hit.hs})
    return out


def _impacts(impacts: list[Impact], text: str) -> list[dict[str, Any]]:
    return [
        {
            "type": i.type,
            "evidence": _evidence(i.match.start_char, i.match.end_char, text, "impact"),
        }
        for i in impacts
    ]


def _evidence(start: int, end: int, text: str, why: str) -> dict[str, Any]:
    return {"text": text[start:end], "start": start, "end": end, "why": why}


def tag_batch(items: Iterable[Any]) -> list[dict[str, Any]]:
    """Tag a batch at once (the Faust agent's unit of work)."""
    return list(tag_items(items))


PASSED_ON = ("title", "url", "published", "kind", "feed_id", "lat", "lon", "language")


def disruption_message(item: Mapping[str, Any], result: Mapping[str, Any]) -> dict[str, Any]:
    """Return what goes to the disruptions topic: the tags plus the item fields downstream use."""
    return {**result, **{k: item.get(k) for k in PASSED_ON if item.get(k) is not None}}
