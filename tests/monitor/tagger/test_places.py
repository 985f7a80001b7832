"""Place recognition: countries, ports, waterways, subdivisions, ambiguity and ranking."""

from __future__ import annotations

import json
import re

import pytest

from monitor.tagger.places import (
    PlaceHit,
    affected_countries,
    country_at,
    find_places,
    normalize_country,
)
from tests.samples import FIXTURES


def names(text: str, **kwargs) -> list[tuple[str, str | None]]:
    return [(h.text, h.place.country) for h in find_places(text, **kwargs)]


def countries(text: str) -> list[str]:
    return affected_countries(find_places(text))


def only(text: str, surface: str) -> PlaceHit:
    hits = [h for h in find_places(text) if h.text == surface]
    assert len(hits) == 1, find_places(text)
    return hits[0]


@pytest.mark.parametrize(
    ("text", "surface", "locode", "country", "lat", "lon"),
    [
        ("Dockers struck at the port of Antwerp on Monday.", "Antwerp", "BEANR", "BE", 51.2, 4.4),
        ("Rotterdam terminals are congested.", "Rotterdam", "NLRTM", "NL", 51.9, 4.5),
        ("Shanghai port throughput fell.", "Shanghai", "CNSHA", "CN", 31.2, 121.5),
        ("Strike at Santos port halts soybean exports.", "Santos", "BRSSZ", "BR", -24.0, -46.3),
        ("Cocoa arrivals at Abidjan slowed.", "Abidjan", "CIABJ", "CI", 5.3, -4.0),
        ("Vessels wait at Tema and Takoradi.", "Tema", "GHTEM", "GH", 5.7, 0.0),
    ],
)
def test_ports_carry_locode_and_coordinates(text, surface, locode, country, lat, lon):
    place = only(text, surface).place
    assert (place.kind, place.locode, place.country) == ("port", locode, country)
    assert place.lat == pytest.approx(lat, abs=0.15)
    assert place.lon == pytest.approx(lon, abs=0.15)


def test_locode_in_a_terse_report_names_the_port():
    hit = only("PORT CONGESTION (USSAV) 3 DAYS", "USSAV")
    assert hit.place.name == "Savannah"
    assert countries("Berth delays at NLRTM and DEHAM") == ["NL", "DE"]


def test_unlisted_port_is_placed_by_its_locode():
    hits = find_places("Berth delays at Pointe des Galets (RELPT) and Port Louis (MUPLU).")
    assert [(h.place.name, h.place.locode, h.place.country) for h in hits] == [
        ("Pointe des Galets", "RELPT", "RE"),
        ("Port Louis", "MUPLU", "MU"),
    ]
    assert find_places("The Baltic and International Maritime Council (BIMCO) said.") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Texas refineries shut.", "US-TX"),
        ("Factories in Guangdong lost power.", "CN-GD"),
        ("Gujarat textile mills closed.", "IN-GJ"),
    ],
)
def test_subdivisions_have_iso_3166_2_codes(text, expected):
    (hit,) = find_places(text)
    assert (hit.place.kind, hit.place.subdivision) == ("subdivision", expected)


def test_countries_sit_at_their_capitals_and_states_at_their_largest_city():
    japan, texas = (h.place for h in find_places("Japan and Texas"))
    assert (japan.lat, japan.lon) == pytest.approx((35.7, 139.7), abs=0.1)
    assert (texas.lat, texas.lon) == pytest.approx((29.8, -95.4), abs=0.1)  # Houston


def test_us_state_abbreviation_after_a_town():
    (hit,) = find_places("M 4.5 - 10km NE of Aguanga, CA")
    assert hit.place.subdivision == "US-CA"


def test_a_town_with_its_state_as_the_press_shortens_it_is_american():
    (hit,) = find_places("Flooding in Norfolk, Va., closed the terminal.")
    assert hit.place.country == "US"
    # The gazetteer knows only England's Portsmouth: not the one in Virginia, so no place.
    assert find_places("PORTSMOUTH, Va. - The Coast Guard set port condition Yankee.") == []
    assert [h.place.country for h in find_places("Ferries halt at Portsmouth.")] == ["GB"]


def test_a_strait_before_a_demonym_after_a_comma_is_still_the_strait():
    text = "A tanker was captured in the Strait of Hormuz, Iranian state television reported."
    assert "Strait of Hormuz" in [h.place.name for h in find_places(text)]


def test_suez_canal_affects_egypt_first():
    (hit,) = find_places("Ships queue at the Suez Canal.")
    assert hit.place.kind == "waterway"
    assert hit.place.affects[0] == "EG"
    assert affected_countries([hit]) == ["EG"]


@pytest.mark.parametrize(
    ("name", "primary"),
    [
        ("Strait of Hormuz", "IR"),
        ("Panama Canal", "PA"),
        ("Bab-el-Mandeb", "YE"),
        ("Strait of Malacca", "MY"),
        ("Bosporus", "TR"),
        ("Rhine", "DE"),
        ("Mississippi River", "US"),
        ("Taiwan Strait", "TW"),
        ("Paraná River", "AR"),
    ],
)
def test_chokepoints_and_rivers(name, primary):
    hits = find_places(f"Traffic through the {name} was halted.")
    assert [h.place.kind for h in hits] == ["waterway"]
    assert hits[0].place.affects[0] == primary


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Ivorian farmers held back cocoa.", ["CI"]),
        ("Exports from Ivory Coast fell.", ["CI"]),
        ("Exports from Côte d'Ivoire fell.", ["CI"]),
        ("Flooding in Holland.", ["NL"]),
        ("British ports and the UK border.", ["GB"]),
        ("U.S. tariffs on American steel.", ["US"]),
        ("The UAE and Emirati ports.", ["AE"]),
        ("Fighting in the DRC near Goma.", ["CD"]),
        ("Pointe-Noire in the Republic of the Congo.", ["CG"]),
        ("Korean chipmakers and South Korea.", ["KR"]),
        ("Unrest in Burma.", ["MM"]),
        ("Türkiye and Turkey are one country.", ["TR"]),
        ("An eruption at Bali's Mount Agung volcano.", ["ID"]),  # the island, not Bāli, India
    ],
)
def test_aliases_and_demonyms(text, expected):
    assert countries(text) == expected


def test_longest_match_wins_for_guineas_sudans_and_nigers():
    text = (
        "Papua New Guinea quake; Guinea-Bissau vote; Equatorial Guinea oil; Guinea bauxite; "
        "Niger coup; Nigeria trade; South Sudan and Sudan; Dominican Republic."
    )
    assert [c for _, c in names(text)] == ["PG", "GW", "GQ", "GN", "NE", "NG", "SS", "SD", "DO"]


def test_georgia_is_the_us_state_with_american_cues():
    assert ("Georgia", "US") in names("Savannah, Georgia port delays; Atlanta warehouses full.")
    assert ("Georgia", "GE") in names("Protests in Tbilisi as Georgia and Russia trade blame.")
    assert ("Georgia", "US") in names("5km N of Varnell, Georgia")
    assert ("Georgia", "US") in names("Georgia Ports Authority reports delays at Savannah.")


def test_congo_is_the_drc_unless_brazzaville_says_otherwise():
    assert countries("Fighting in Congo displaced thousands near Goma.") == ["CD"]
    assert countries("Floods in Congo hit Brazzaville's river port.") == ["CG"]


def test_person_names_are_not_places():
    # NER has run (entity_spans given) and tagged none of them a place.
    assert names("Paris Hilton and Michael Jordan met Chad Smith.", entity_spans=[]) == []
    assert names("Victoria Beckham launched a brand.") == []
    assert names("Neymar Santos scored twice.") == []
    assert ("Jordan", "JO") in names("Jordan closed its border with Syria.")


@pytest.mark.parametrize(
    "text",
    [
        "Nice weather today.",
        "Reading the report took hours.",
        "Split decisions are common.",
        "Mobile phones were sold out.",
        "They roasted a turkey and bought fine china.",
        "A guinea pig escaped.",
        "He wore a Jersey in the match.",
        "The Buffalo wings were cold.",
        "Orange juice prices rose.",
        "Sales at T-Mobile rose.",
        "Us and them.",
    ],
)
def test_common_words_are_not_places(text):
    assert find_places(text) == []


@pytest.mark.parametrize(
    ("text", "surface", "country"),
    [
        ("Flights to Nice were cancelled.", "Nice", "FR"),
        ("The port of Mobile closed ahead of the hurricane.", "Mobile", "US"),
        ("A storm hit Split, Croatia.", "Split", "HR"),
        ("Floods in Victoria, Australia.", "Victoria", "AU"),
        ("Floods in Victoria, Canada.", "Victoria", "CA"),
    ],
)
def test_common_words_with_a_cue_are_places(text, surface, country):
    assert only(text, surface).place.country == country
    assert only(text, surface).ambiguous


def test_entity_spans_mark_organisations_and_persons():
    text = "Bank of China said Jackson Browne visited Antwerp."
    spans = [(0, 13, "ORG"), (19, 32, "PERSON"), (41, 48, "GPE")]
    hits = find_places(text, entity_spans=spans)
    assert [(h.text, h.role) for h in hits] == [("China", "origin"), ("Antwerp", "place")]
    assert affected_countries(hits) == ["BE"]
    # A place tagged ORG on its own is a tagging slip; a port authority is a place.
    assert names("Strike in Antwerp.", entity_spans=[(10, 17, "ORG")]) == [("Antwerp", "BE")]
    text = "The Port of Antwerp-Bruges said volumes fell."
    assert names(text, entity_spans=[(4, 26, "ORG")]) == [("Port of Antwerp-Bruges", "BE")]


def test_entity_spans_back_person_like_names_but_not_common_words():
    text = "Jordan Protests Grow Over Fuel Prices"  # a headline: case says nothing
    first = find_places(text)  # before NER: kept, marked ambiguous so NER is asked
    assert [(h.text, h.ambiguous) for h in first] == [("Jordan", True)]
    assert names(text, entity_spans=[]) == []
    assert names(text, entity_spans=[(0, 6, "GPE")]) == [("Jordan", "JO")]
    text = "The alert level is Orange."
    assert names(text, entity_spans=[(19, 25, "GPE")]) == []


def test_origins_rank_below_the_affected_country():
    text = "A Liberian-flagged, Greek-owned tanker was attacked off Yemen."
    roles = {h.text: h.role for h in find_places(text)}
    assert roles == {"Liberian": "origin", "Greek": "origin", "Yemen": "place"}
    assert countries(text) == ["YE"]
    assert countries("German carmaker Volkswagen halts output in Mexico.") == ["MX"]
    assert countries("Bank of China reported profits.") == ["CN"]  # nothing stronger
    assert countries("Air France cancelled flights to Abidjan.") == ["CI"]
    assert countries("Malaysia: US CBP issues withhold release order on gloves.") == ["MY"]


def test_national_agencies_name_their_country_weakly():
    assert countries("Kilauea Volcano Erupts; USGS says lava continues to flow.") == ["US"]
    assert countries("Eskom moves to stage 6 load-shedding.") == ["ZA"]
    assert countries("USGS scientists surveyed the quake near Tokyo.") == ["JP"]


def test_affected_countries_ranks_repeated_places_first():
    text = "Typhoon shuts Shanghai and Ningbo; Chinese factories idle; Busan also hit."
    assert countries(text) == ["CN", "KR"]


def test_headline_and_capitals_keep_countries():
    assert countries("PORT CONGESTION AT SANTOS (BRSSZ), BRAZIL") == ["BR"]
    assert countries("Strike Hits Antwerp, Belgium") == ["BE"]


def test_bad_input_is_refused_clearly():
    assert find_places("") == []
    with pytest.raises(TypeError, match="needs a str"):
        find_places(b"Antwerp")  # type: ignore[arg-type]


def test_exonyms_and_apostrophes():
    text = "Blasts in Kiev; floods in Bangalore and Cologne; Xi'an and Xi’an."
    assert [(h.place.name, h.place.country) for h in find_places(text)] == [
        ("Kyiv", "UA"),
        ("Bengaluru", "IN"),
        ("Köln", "DE"),
        ("Xi’an", "CN"),
        ("Xi’an", "CN"),
    ]


def test_hits_carry_exact_offsets():
    text = "Rain in São Paulo and Rio de Janeiro."
    for hit in find_places(text):
        assert text[hit.start : hit.end] == hit.text


def test_gdacs_titles_name_their_countries():
    xml = (FIXTURES / "gdacs" / "gdacs-rss.xml").read_text(encoding="utf-8-sig")
    titles = re.findall(r"<title>(Drought is on going in [^<]+)</title>", xml)
    assert titles
    for title in titles:
        listed = title.removeprefix("Drought is on going in ").replace("&amp;", "&").split(", ")
        assert set(countries(title)) == {normalize_country(name) for name in listed}, title


def test_cap_landmarks_do_not_outrank_the_epicentre():
    cap = (FIXTURES / "cap" / "google-cap-library" / "earthquake.cap").read_text(encoding="utf-8")
    (area,) = re.findall(r"<areaDesc>([^<]+)</areaDesc>", cap)
    assert "Samoa" in area
    assert countries(area) == ["TO"]


def test_usgs_places_agree_with_their_coordinates():
    """The country named in USGS place strings is the one country_at() finds at the epicentre."""
    data = json.loads((FIXTURES / "usgs" / "all_week.geojson").read_text(encoding="utf-8"))
    pairs = []
    for feature in data["features"]:
        lon, lat = feature["geometry"]["coordinates"][:2]
        named, located = countries(feature["properties"]["place"]), country_at(lat, lon)
        if located:
            pairs.append((named[:1], located))
    agree = sum(named == [located] for named, located in pairs)
    assert len(pairs) > 1500
    assert agree / len(pairs) > 0.93


@pytest.mark.parametrize(
    ("lat", "lon", "expected"),
    [(35.68, 139.69, "JP"), (51.22, 4.40, "BE"), (-23.96, -46.30, "BR"), (5.3, -4.1, "CI")],
)
def test_country_at_known_points(lat, lon, expected):
    assert country_at(lat, lon) == expected


def test_country_at_sea():
    assert country_at(35.3, 139.9) == "JP"  # Tokyo Bay: the nearest coast
    assert country_at(0.0, -140.0) is None  # the middle of the Pacific
    with pytest.raises(ValueError, match="not a coordinate"):
        country_at(95.0, 0.0)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("CIV", "CI"),
        ("ci", "CI"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("Cote d'Ivoire", "CI"),
        ("Ivorian", "CI"),
        ("Britain", "GB"),
        ("UK", "GB"),
        ("the Netherlands", "NL"),
        ("Holland", "NL"),
        ("USA", "US"),
        ("American", "US"),
        ("Burma", "MM"),
        ("Turkey", "TR"),
        ("Türkiye", "TR"),
        ("South Korea", "KR"),
        ("Emirati", "AE"),
        ("DRC", "CD"),
        ("Republic of the Congo", "CG"),
        ("Narnia", None),
        ("", None),
    ],
)
def test_normalize_country(value, expected):
    assert normalize_country(value) == expected
