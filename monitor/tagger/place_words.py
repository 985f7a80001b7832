"""The words around place names, and the names the gazetteer leaves out (data/place_words.csv)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pycountry

from monitor.tagger.datafiles import DATA, NAMES, WORDS, read_word_lists

# The lists of data/place_words.csv (README.md there says what each does): PlaceWords.
LISTS = {
    "function": WORDS,
    "prepositions": WORDS,
    "place_nouns": WORDS,
    "place_of": WORDS,
    "port_nouns": WORDS,
    "route_prepositions": WORDS,
    "place_modifiers": WORDS,
    "origin_nouns": WORDS,
    "origin_suffixes": WORDS,
    "origin_prefixes": WORDS,
    "org_heads": WORDS,
    "port_orgs": WORDS,
    "government_acts": WORDS,
    "sanctioning": WORDS,
    "not_locodes": WORDS,
    "ship_prefixes": WORDS,
    "subdivision_countries": NAMES,
    "vague_names": WORDS,
    "us_state_abbreviations": WORDS,
}


@dataclass(frozen=True)
class PlaceWords:
    """Words that tell how a place name is used, and which names not to index."""

    function: frozenset[str]  # "of", "the", "de": skipped inside and around names
    prepositions: frozenset[str]  # "in X", "off X": a cue that X is a place
    place_nouns: frozenset[str]  # "X port", "X province": a cue that X is a place
    place_of: frozenset[str]  # "port of X", "city of X"
    port_nouns: frozenset[str]  # "X port", "X terminal": X is the port reading
    route_prepositions: frozenset[str]  # "via X", "around X": the way round, not the hit
    place_modifiers: frozenset[str]  # "North", "New": part of a place name
    origin_nouns: frozenset[str]  # "German carmaker", "Indian officials": an origin
    origin_suffixes: frozenset[str]  # "Liberian-flagged", "based in X": an origin
    origin_prefixes: frozenset[str]  # "Air France", "Radio Free Asia": an organisation
    org_heads: frozenset[str]  # "Bank of China", "University of Ghana": an organisation
    port_orgs: frozenset[str]  # an organisation named after a port or canal is the place
    government_acts: frozenset[str]  # "Washington said": a capital speaking for its state
    sanctioning: frozenset[str]  # "US sanctions ...": the country that sanctions
    not_locodes: frozenset[str]  # acronyms in brackets that look like UN/LOCODEs
    ship_prefixes: frozenset[str]  # "MV Dali", "MSC Chennai": a ship, not a place
    subdivision_countries: frozenset[str]  # countries whose ISO subdivisions are indexed
    vague_names: frozenset[str]  # subdivision names too vague to index ("Central")
    us_state_abbreviations: frozenset[str]  # "Portsmouth, Va.": a US town, as written


@lru_cache(maxsize=1)
def place_words() -> PlaceWords:
    """Return the place word lists, read from the data folder on first use."""
    return read_place_words()


def read_place_words(directory: Path = DATA) -> PlaceWords:
    """Read data/place_words.csv; subdivision countries must be ISO 3166-1 alpha-2 codes."""
    codes = {country.alpha_2 for country in pycountry.countries}
    return PlaceWords(**read_word_lists("place_words.csv", LISTS, directory, codes).fields(LISTS))
