"""Read the words around a place name: cues, headlines, person names, organisations, origins."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from monitor.tagger.gazetteer import Candidate, Gazetteer, Place
from monitor.tagger.place_words import place_words

SENTENCE_BREAKS = {".", "!", "?", ":", ";", '"', "“", "”", "(", "[", "-", "–", "—", "|", "•"}
AREAS = ("country", "subdivision", "region")
LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")
CODE_LIKE = re.compile(r"\b([A-Z]{2}[A-Z2-9]{3}|[A-Z]{2})\b")


# "186 miles (299 km) SSW of APIA, Samoa": a landmark clause, up to the next ; or full stop.
DISTANCE_OF = re.compile(
    r"\d\s*(km|mi|miles|kilometers|kilometres)\)?\s+[NSEW]{0,3}\s*of\s+[^;.\n]*", re.I
)


@dataclass(frozen=True)
class PlaceHit:
    """A place named in a text, with its character offsets."""

    place: Place
    start: int
    end: int
    text: str
    ambiguous: bool
    # "place"; "demonym" ("Ivorian farmers"); "origin" ("German carmaker", "Liberian-flagged");
    # "route" ("diverted via the Cape of Good Hope"); "reference" (a landmark: "...; 299 km SSW
    # of Apia" after the event was already placed)
    role: str = "place"


def is_title(token: Token) -> bool:
    """Say whether a word starts with a capital letter."""
    return token.text[:1].isupper()


class Context:
    """The words and entities of one text, as evidence for or against place readings."""

    def __init__(
        self,
        text: str,
        doc: Doc,
        entity_spans: Sequence[tuple[int, int, str]],
        gaz: Gazetteer,
        *,
        ner: bool = True,
    ):
        """`ner` says whether `entity_spans` are NER's answer (else NER has not run yet)."""
        self.text, self.doc, self.gaz = text, doc, gaz  # doc.text would rebuild the text: slow
        self.ner = ner
        self.words = place_words()
        self.ents = [(s, e, label.upper()) for s, e, label in entity_spans]
        # Of several "N km SW of X" clauses (USGS, GDACS) the first locates the event; the
        # others only name landmarks.
        self._landmarks = [m.span() for m in DISTANCE_OF.finditer(self.text)][1:]

    def code_hits(self) -> Iterator[PlaceHit]:
        """Yield ports named by UN/LOCODE ("USSAV") and US states after a comma ("Aguanga, CA")."""
        doc = self.doc
        for match in CODE_LIKE.finditer(self.text):  # a regex first: walking every token is slow
            span = doc.char_span(*match.span())
            if span is None or len(span) != 1:
                continue
            tok = span[0]
            place = self.gaz.locodes.get(tok.text) if len(tok.text) == 5 else None
            place = place or self._unlisted_port(tok)
            state = self.gaz.us_states.get(tok.text) if len(tok.text) == 2 else None
            if state is not None and not self._state_after_comma(tok):
                state = None
            found = place or state
            if found is not None:
                end = tok.idx + len(tok.text)
                yield PlaceHit(found, tok.idx, end, tok.text, ambiguous=state is not None)

    def _unlisted_port(self, tok: Token) -> Place | None:
        """Read "Kamsar (GNKMR)": a port we do not list, placed by its UN/LOCODE's country."""
        doc, i = self.doc, tok.i
        if (
            not LOCODE.fullmatch(tok.text)
            or tok.text in self.words.not_locodes
            or i < 2
            or i + 1 >= len(doc)
        ):
            return None
        if doc[i - 1].text != "(" or doc[i + 1].text[:1] != ")":
            return None
        country = self.gaz.countries.get(tok.text[:2])
        last = doc[i - 2]
        if country is None or not (last.is_alpha and is_title(last)) or last.text.isupper():
            return None
        first = i - 2  # the name runs back over capitalised words: "Pointe des Galets"
        while first > max(0, i - 6) and (
            is_title(doc[first - 1]) or doc[first - 1].lower_ in self.words.function
        ):
            first -= 1
        while doc[first].lower_ in self.words.function:
            first += 1
        return Place(doc[first : i - 1].text, country.country, "port", locode=tok.text)

    def _state_after_comma(self, tok: Token) -> bool:
        doc, i = self.doc, tok.i
        if i < 2 or doc[i - 1].text != "," or not is_title(doc[i - 2]):
            return False
        after = doc[i + 1] if i + 1 < len(doc) else None
        return (
            after is None
            or not (after.is_alpha and after.text.isupper())
            or (after.lower_ in self.words.place_nouns)
        )

    def _entity(self, span: Span) -> str | None:
        """Return the NER label over a match ("INSIDE_ORG" when an organisation's name holds it)."""
        for start, end, label in self.ents:
            if start < span.end_char and span.start_char < end:
                if label != "ORG":
                    return label
                if any(w in self.text[start:end].lower() for w in self.words.port_orgs):
                    return "LOC"  # "Port of Antwerp-Bruges", "Panama Canal Authority"
                # A place tagged ORG on its own is a tagging slip; inside a longer name it is
                # the organisation's origin ("Bank of China").
                return None if (start, end) == (span.start_char, span.end_char) else "INSIDE_ORG"
        return None

    def discard(self, span: Span, found: list[Candidate]) -> bool:
        """Say whether a match is plainly not a place: a person, an organisation, "T-Mobile"."""
        label = self._entity(span)
        candidate = found[0]
        if label == "PERSON" and candidate.caution:
            return True  # "Michael Jordan"; the small model also tags "Minas Gerais" PERSON
        # A waterway belongs to the states that hold it: "the Strait of Hormuz, Iranian state
        # television said" names no other Hormuz.
        countries = {c.place.country for c in found} | {a for c in found for a in c.place.affects}
        if self._homonym(span, countries, candidate.place.kind):
            return True
        if candidate.place.kind == "country" or candidate.demonym:
            return False
        before = self._before(span)
        if before is not None and before.text == "-" and not before.whitespace_:
            return True  # "T-Mobile", "Rolls-Royce"
        if before is not None and before.text.upper() in self.words.ship_prefixes:
            return True  # "MV Dali", "MSC Chennai": a ship
        # "Shanghai Electric", "Kawasaki Heavy Industries": a company named after a place.
        return self.named_thing_follows(span) and not candidate.caution

    def _homonym(self, span: Span, countries: set[str | None], kind: str) -> bool:
        """Say whether the name belongs to a locality elsewhere ("China Lake, California")."""
        doc, end = self.doc, span.end
        while end < min(len(doc), span.end + 3) and (
            (doc[end].is_alpha and is_title(doc[end]))
            or (doc[end].text == "-" and not doc[end - 1].whitespace_)  # "Florence-Graham"
        ):
            end += 1
        listed = self._country_after_comma(doc[span.start : end])
        if not listed or listed & countries:
            return False
        return end > span.end or kind not in ("country", "port")

    def resolve(
        self, span: Span, found: list[Candidate], support: set[str | None]
    ) -> Candidate | None:
        """Pick the reading of an ambiguous name, or None when the name is not a place here."""
        label = self._entity(span)
        # NER backs person-like names; words like "Orange" it tags as places too often.
        tagged = label in ("GPE", "LOC", "FAC", "NORP")
        cue = self._cue(span) or (tagged and found[0].caution != "word")
        listed = self._country_after_comma(span)
        countries = {c.place.country for c in found}
        backed = bool(countries & (support | listed))
        caution = found[0].caution
        headline = self.headline(span)
        weak_backing = not backed or headline or self.sentence_start(span)
        if caution == "word" and not (cue or listed) and weak_backing:
            return None
        if caution == "word" and not listed and self._origin_noun_follows(span):
            return None  # "at Toyota supplier": a brand's company, not the town
        # A headline's capitals hide a person's name; a country named there ("India Bans Wheat
        # Exports") is kept, as ambiguous, until NER has had its say.
        country = found[0].place.kind == "country"
        person = (headline and (self.ner or not country)) or self._person_signal(span)
        if caution == "person" and not (cue or backed) and person:
            return None
        if caution == "" and found[0].place.kind != "country" and self.named_thing_follows(span):
            return None
        for wanted in (listed, support):
            for candidate in found:
                if candidate.place.country in wanted:
                    return candidate
        if self._port_cue(span):
            return next((c for c in found if c.place.kind == "port"), found[0])
        state = next((c for c in found if (c.place.subdivision or "").startswith("US-")), None)
        if state is not None and self._after_unknown_town(span):
            return state  # "Varnell, Georgia": the American way of writing a town's state
        return found[0]

    def _origin_noun_follows(self, span: Span) -> bool:
        after = self._after(span)
        return after is not None and after.i == span.end and after.lower_ in self.words.origin_nouns

    def _after_unknown_town(self, span: Span) -> bool:
        doc = self.doc
        if span.start < 2 or doc[span.start - 1].text != ",":
            return False
        town = doc[span.start - 2]
        return town.is_alpha and is_title(town) and town.lower_ not in self.gaz.entries

    def role(self, span: Span, candidate: Candidate) -> str:
        """Say how a country is named: as the place ("place"), its people ("demonym"), an origin."""
        doc = self.doc
        after = [t for t in doc[span.end : span.end + 3] if not t.is_space]
        if (
            after
            and after[0].text == "-"
            and len(after) > 1
            and after[1].lower_ in self.words.origin_suffixes
        ):
            return "origin"
        if candidate.agency or self._entity(span) == "INSIDE_ORG":
            return "origin"  # "Bank of China": counts only when nothing else is named
        before = self._before(span)
        if self._actor(span, before):
            return "origin"
        if before is not None and before.lower_ == "the" and before.i > 0:
            before = doc[before.i - 1]
        if before is not None and before.lower_ in self.words.route_prepositions:
            return "route"  # "rerouted via the Cape of Good Hope": the way round, not the hit
        if any(start <= span.start_char < end for start, end in self._landmarks):
            return "reference"
        if candidate.place.kind != "country":
            return "place"
        before = self._before(span)
        if (
            before is not None
            and before.lower_ == "of"
            and before.i > 0
            and doc[before.i - 1].lower_ in self.words.org_heads
        ):
            return "origin"  # "Bank of China", "University of Ghana"
        if (
            before is not None
            and before.i == span.start - 1
            and before.text in self.words.origin_prefixes
        ):
            return "origin"  # "Air France", "Radio Free Asia"
        if candidate.demonym:
            nouns = {t.lower_ for t in after[:2]}
            hyphened = bool(after) and after[0].text == "-" and not doc[span.end - 1].whitespace_
            if nouns & self.words.origin_nouns or hyphened or self.named_thing_follows(span):
                return "origin"  # "German carmaker", "Indian-Antarctic Ridge", "Mexican Flavor"
            return "demonym"
        if self.named_thing_follows(span) or self._agency_follows(span):
            return "origin"  # "China Merchants", "Japan Airlines", "US CBP"
        return "place"

    def _actor(self, span: Span, before: Token | None) -> bool:
        """Say whether the place only names who acts: "Maersk, based in Copenhagen", "listed
        in London", "US sanctions Russian ...", "Washington said"."""
        if (
            before is not None
            and before.lower_ == "in"
            and before.i > 0
            and self.doc[before.i - 1].lower_ in self.words.origin_suffixes
        ):
            return True
        after = self._after(span)
        if after is None or after.i != span.end:
            return False
        if after.lower_ in self.words.sanctioning:
            return True
        return after.lower_ in self.words.government_acts and span.text.lower() in self.gaz.capitals

    def _agency_follows(self, span: Span) -> bool:
        after = self._after(span)
        if after is None or after.i != span.end or not after.is_alpha or len(after.text) < 3:
            return False
        if not after.text.isupper() or self.headline(span):
            return False
        known = self.gaz.entries.get(after.lower_, [])
        return not known or any(c.agency for c in known)  # "US CBP", "China MOFCOM"

    def _before(self, span: Span) -> Token | None:
        i = span.start - 1
        while i >= 0 and self.doc[i].is_space:
            i -= 1
        return self.doc[i] if i >= 0 else None

    def _after(self, span: Span) -> Token | None:
        i = span.end
        while i < len(self.doc) and self.doc[i].is_space and "\n" not in self.doc[i].text:
            i += 1
        return self.doc[i] if i < len(self.doc) else None

    def sentence_start(self, span: Span) -> bool:
        before = self._before(span)
        if before is None or before.text[-1:] in SENTENCE_BREAKS:
            return True
        return span.start > 0 and "\n" in self.doc[span.start - 1].text_with_ws

    def headline(self, span: Span) -> bool:
        """Say whether the words around are in Title Case or CAPITALS (so case tells nothing)."""
        doc = self.doc
        window = [*doc[max(0, span.start - 5) : span.start], *doc[span.end : span.end + 5]]
        words = [t for t in window if t.is_alpha and t.lower_ not in self.words.function]
        if len(words) < 2:
            return self.sentence_start(span)
        return sum(is_title(t) for t in words) >= 0.8 * len(words)

    def named_thing_follows(self, span: Span) -> bool:
        """Say whether a capitalised non-place word follows ("Paris Hilton", "Japan Airlines")."""
        after = self._after(span)
        if after is None or after.i != span.end or not after.is_alpha or not is_title(after):
            return False
        if (
            after.text.isupper()
            or after.lower_ in self.words.place_nouns
            or after.lower_ in self.words.function
        ):
            return False
        return not self.headline(span) and not self._is_place_word(after)

    def _person_signal(self, span: Span) -> bool:
        """Say whether the name sits inside a person's name ("Michael Jordan", "Chad Smith")."""
        if self.named_thing_follows(span):
            return True
        before = self._before(span)
        if before is None or before.i != span.start - 1 or not before.is_alpha:
            return False
        w = self.words
        if not is_title(before) or before.lower_ in w.function | w.prepositions | w.place_of:
            return False
        return not self._is_place_word(before)

    def _is_place_word(self, token: Token) -> bool:
        return token.lower_ in self.gaz.entries or token.lower_ in self.words.place_modifiers

    def _cue(self, span: Span) -> bool:
        """Say whether the words around mark a place: "in X", "port of X", "X port", "(BRSSZ)"."""
        doc = self.doc
        before = self._before(span)
        if before is not None and before.lower_ == "the" and before.i > 0:
            before = doc[before.i - 1]
        if before is not None and before.lower_ in self.words.prepositions and not is_title(before):
            return True
        if self._port_cue(span):
            return True
        after = self._after(span)
        if (
            after is not None
            and after.lower_ in self.words.place_nouns
            and not after.text.isupper()
        ):
            return True  # "Mobile port"; in capitals ("DC METRO AREA") case tells nothing
        return any(t.text in self.gaz.locodes for t in doc[span.end : span.end + 4])

    def _port_cue(self, span: Span) -> bool:
        doc = self.doc
        if span.start >= 2 and doc[span.start - 1].lower_ == "of":
            return doc[span.start - 2].lower_ in self.words.place_of
        after = self._after(span)
        return after is not None and after.lower_ in self.words.port_nouns

    def _us_state_abbreviation(self, following: list[Token]) -> bool:
        """Say whether the words start with a state as the US press shortens it ("N.J.")."""
        text = ""
        for token in following[:4]:
            text += token.text
            if text in self.words.us_state_abbreviations:
                return True
        return False

    def _country_after_comma(self, span: Span) -> set[str | None]:
        """Return the countries named right after "X, " ("Santos, Brazil" -> {"BR"})."""
        doc, end = self.doc, span.end
        for _ in range(2):  # "San Vicente, San Vicente, El Salvador": look past one town
            if end + 1 >= len(doc) or doc[end].text != ",":
                return set()
            following = [t for t in doc[end + 1 : end + 5] if not t.is_space]
            if self._us_state_abbreviation(following):
                return {"US"}  # "Portsmouth, Va.", "Tukwila, Wash.": the press's state names
            for size in range(len(following), 0, -1):
                text = " ".join(t.text for t in following[:size]).lower()
                found = self.gaz.entries.get(text)
                if found and is_title(following[0]):
                    areas = {c.place.country for c in found if c.place.kind in AREAS}
                    if areas:
                        return areas
                    end = following[size - 1].i + 1
                    break
            else:
                return set()
        return set()
