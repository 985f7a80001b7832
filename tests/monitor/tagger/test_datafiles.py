"""The data file reader: rows, word lists, and errors that name the file and the line."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from dataclasses import fields
from pathlib import Path

import pytest

from monitor.tagger.datafiles import (
    DATA,
    KEYED,
    NAMES,
    WORDS,
    DataFileError,
    Row,
    read_rows,
    read_word_lists,
)
from monitor.tagger.gazetteer import COLUMNS, _coordinate, _country, fold, gazetteer, tokens
from monitor.tagger.lexicon import CUE_KINDS, parse_phrase, read_lexicon
from monitor.tagger.materials import read_material_words, read_producers
from monitor.tagger.place_words import read_place_words
from monitor.vocab import EVENT_TYPES, IMPACTS


def write(directory: Path, name: str, text: str) -> str:
    (directory / name).write_text(text, encoding="utf-8")
    return name


def test_rows_skip_comments_and_blank_lines_and_keep_line_numbers(tmp_path: Path) -> None:
    name = write(tmp_path, "t.csv", "a;b\n# note\n\nx;y\nz;\n")
    rows = list(read_rows(name, ("a", "b"), tmp_path))
    assert [(r.line, r.values) for r in rows] == [
        (4, {"a": "x", "b": "y"}),
        (5, {"a": "z", "b": ""}),
    ]


def test_a_row_with_too_few_values_names_file_and_line(tmp_path: Path) -> None:
    name = write(tmp_path, "t.csv", "a;b;c\n# note\nx;y;z\nx;y\n")
    with pytest.raises(DataFileError, match=r"^t\.csv:4: 2 values where the header has 3"):
        list(read_rows(name, ("a", "b", "c"), tmp_path))


def test_a_wrong_header_names_file_and_line(tmp_path: Path) -> None:
    name = write(tmp_path, "t.csv", "# note\na;c\n")
    with pytest.raises(DataFileError, match=r"^t\.csv:2: the header is 'a;c', expected 'a;b'"):
        list(read_rows(name, ("a", "b"), tmp_path))


LISTS = {"plain": WORDS, "keyed": KEYED, "names": NAMES}


def lists(tmp_path: Path, body: str) -> dict[str, dict[str, frozenset[str]]]:
    name = write(tmp_path, "w.csv", "list;key;word\n" + body)
    return read_word_lists(name, LISTS, tmp_path, names={"k", "tin", "lead"}).lists


def test_word_lists_take_in_sets(tmp_path: Path) -> None:
    found = lists(
        tmp_path,
        "set;base;a\nset;base;b\nset;more;@base\nset;more;c\n"
        "plain;;@more\nplain;;d\nkeyed;k;@base\nkeyed;k;e\nnames;;tin\n",
    )
    assert found == {
        "plain": {"": {"a", "b", "c", "d"}},
        "keyed": {"k": {"a", "b", "e"}},
        "names": {"": {"tin"}},
    }


@pytest.mark.parametrize(
    ("body", "line", "message"),
    [
        ("plain;;a\nplian;;b\n", 3, "unknown list 'plian'"),
        ("keyed;;a\n", 2, "list 'keyed' needs a key"),
        ("plain;k;a\n", 2, "list 'plain' takes no key"),
        ("plain;;a\nplain;;a\n", 3, "'a' is already in plain '' \\(line 2\\)"),
        ("plain;; a\n", 2, "word ' a' is blank or has spaces around it"),
        ("plain;;\n", 2, "word '' is blank"),
        ("plain;;@nothing\n", 2, "'@nothing' names no set"),
        ("set;a;@b\nset;b;@a\nplain;;@a\n", 3, "set 'a' takes itself in: a -> b -> a"),
        ("set;lonely;a\nplain;;b\n", 2, "set 'lonely' is taken in by no row"),
        ("keyed;tin;a\nkeyed;tinn;a\n", 3, "'tinn' in keyed is not a known name"),
        ("names;;lead\nnames;;led\n", 3, "'led' in names is not a known name"),
    ],
)
def test_a_bad_word_list_row_names_file_and_line(
    tmp_path: Path, body: str, line: int, message: str
) -> None:
    with pytest.raises(DataFileError, match=rf"^w\.csv:{line}: {message}"):
        lists(tmp_path, body)


def test_place_rows_check_coordinates_and_country_codes(tmp_path: Path) -> None:
    name = write(tmp_path, "p.csv", "lat;country\n91;US\nx;uk\n")
    high, word = read_rows(name, ("lat", "country"), tmp_path)
    with pytest.raises(DataFileError, match=r"^p\.csv:2: lat 91.0 is out of range"):
        _coordinate(high, "lat")
    with pytest.raises(DataFileError, match=r"^p\.csv:3: lat 'x' is not a number"):
        _coordinate(word, "lat")
    assert _country(high, "US") == "US"
    with pytest.raises(DataFileError, match=r"^p\.csv:3: 'uk' is not an ISO 3166-1 alpha-2"):
        _country(word, "uk")


def with_row(tmp_path: Path, name: str, line: str, *others: str) -> int:
    """Copy a data file (and others read with it) to tmp_path, add one line; return its number."""
    for each in others:
        shutil.copy(DATA / each, tmp_path / each)
    text = (DATA / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1


LEXICON = ("triggers.csv", "cues.csv", "irregular_forms.csv", "impacts.csv")


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("triggers.csv", "strike;strike;1.0", "'strike' is already under strike \\(line \\d+\\)"),
        ("triggers.csv", "strikes;walkout;1.0", "event_type 'strikes' is not an event type"),
        ("triggers.csv", "strike;dock walkout;heavy", "weight 'heavy' is not a number"),
        ("triggers.csv", "strike;dock walkout;0", "weight '0' must be a positive number"),
        ("triggers.csv", "strike;dock walkout", "2 values where the header has 3"),
        ("triggers.csv", "strike;~ walkout;1.0", "phrase '~ walkout': `~` stands between"),
        ("triggers.csv", "strike;Walkout;1.0", "phrase 'Walkout': 'Walkout' is not a lower-case"),
        ("triggers.csv", "strike;walk/X;1.0", "phrase 'walk/X': 'walk/X' has a part of"),
        ("triggers.csv", "strike;walk  out;1.0", "phrase 'walk  out': words are separated"),
        ("triggers.csv", "strike;walk/V out;1.0", "phrase .walk/V out.: only the last word may"),
        ("cues.csv", "impakt;halt;;", "kind 'impakt' is not one of impact, "),
        ("cues.csv", "impact;grind;short;", "flag 'short' does not fit a cue of kind impact"),
        ("cues.csv", "impact;grind;;strike", "only a recovery cue names the event_type"),
        ("cues.csv", "recovery;reboot;;outage", "event_type 'outage' is not an event type"),
        ("cues.csv", "neg_before;rule out;;", "'rule out' is already under neg_before"),
        ("impacts.csv", "port_shut;port ~ close/V", "impact 'port_shut' is not one of"),
        (
            "impacts.csv",
            "port_closure;port closure",
            "'port closure' is already under port_closure",
        ),
        (
            "impacts.csv",
            "port_closure;Port ~ shut",
            "phrase 'Port ~ shut': 'Port' is not a lower-case",
        ),
        ("irregular_forms.csv", "sink;sank", "'sank' is already a form of 'sink' \\(line \\d+\\)"),
        ("irregular_forms.csv", "Sink;sonk", "lemma and form are lower-case words"),
    ],
)
def test_a_bad_lexicon_row_names_file_and_line(
    tmp_path: Path, name: str, line: str, message: str
) -> None:
    number = with_row(tmp_path, name, line, *LEXICON)
    with pytest.raises(DataFileError, match=rf"^{re.escape(name)}:{number}: {message}"):
        read_lexicon(tmp_path)


def test_a_flag_belongs_to_the_phrase_wherever_it_may_stand(tmp_path: Path) -> None:
    """ "suspend" ends a trigger before or after it: a row that drops the flag is a slip."""
    number = with_row(tmp_path, "cues.csv", "hedge_after;could;;", *LEXICON)
    with pytest.raises(DataFileError, match=rf"^cues\.csv:{number}: 'could' is flagged risk"):
        read_lexicon(tmp_path)


# Every file of the data folder, and the test below that checks it: a new file needs both.
CHECKED = {
    "triggers.csv",
    "cues.csv",
    "irregular_forms.csv",
    "impacts.csv",
    "country_roles.csv",
    "material_words.csv",
    "producers.csv",
    "place_words.csv",
    "countries.csv",
    "agencies.csv",
    "ports.csv",
    "waterways.csv",
    "exonyms.csv",
    "ambiguous.csv",
}


def test_every_data_file_is_checked() -> None:
    assert {p.name for p in DATA.iterdir() if p.suffix == ".csv"} == CHECKED


def unique(name: str, key: Callable[[Row], str]) -> list[Row]:
    """Return a place file's rows; fail on a key seen twice, naming both lines."""
    rows = list(read_rows(name, COLUMNS[name]))
    first: dict[str, int] = {}
    for row in rows:
        assert key(row) not in first, (
            f"{name}:{row.line}: {key(row)!r} is also on {first[key(row)]}"
        )
        first[key(row)] = row.line
        for column, value in row.values.items():
            parts = value.split("|") if column in ("aliases", "demonyms", "affects") else [value]
            assert all(p == p.strip() and (p or len(parts) == 1) for p in parts), (name, row.line)
    return rows


def test_the_event_lexicon_covers_every_event_type_and_cue_kind() -> None:
    lex = read_lexicon()  # checks event types, phrases, weights, flags and duplicates
    assert set(lex.triggers) == set(EVENT_TYPES)
    assert set(lex.cues) == set(CUE_KINDS)
    assert all(lex.flags.values())
    assert set(lex.recovered) <= set(lex.cues["recovery"])
    assert set(lex.recovered.values()) <= set(EVENT_TYPES)
    assert sum(map(len, lex.triggers.values())) + sum(map(len, lex.cues.values())) > 800
    assert set(lex.impacts) == set(IMPACTS)


def stems(word: str) -> set[str]:
    """Return the lemmas an English inflection of `word` could come from ("closed": close)."""
    return {word[: -len(end)] + base for end in ("ies", "es", "s", "ing", "ed", "d")
            if word.endswith(end) for base in ("", "e", "y")}  # fmt: skip


def test_impact_words_leave_the_other_phrases_forms_alone() -> None:
    """A word joins the matcher's vocabulary as written, so "closed" in an impact phrase would
    stop "closed" reading as "close" everywhere: impact phrases are written in lemmas."""
    lex = read_lexicon()
    others = {
        w for phrases in lex.triggers.values() for p in phrases for w in parse_phrase(p).words
    }
    others |= {w for phrases in lex.cues.values() for p in phrases for w in parse_phrase(p).words}
    forms = {f for forms in lex.irregular.values() for f in forms}
    for phrases in lex.impacts.values():
        for phrase in phrases:
            for word in parse_phrase(phrase).words:
                assert word in others or not (stems(word) & others), (phrase, word)
                assert word not in forms, (phrase, word)


# Inflected forms that the lexicon writes on purpose, as words of their own ("flooding" is a
# trigger; "caused by" a cause cue): each stops reading as its lemma everywhere.
WRITTEN_FORMS = {"as", "berthing", "bombing", "caused", "flooding", "forced", "freezing",
                 "grounding", "hijacking", "looming", "loss", "rationing", "shares", "stocks",
                 "trading", "trucking", "waiting", "warning", "working"}  # fmt: skip


def test_no_phrase_writes_an_inflected_form_of_another_phrases_lemma() -> None:
    """A word joins the matcher's vocabulary as written: "grounded" in one trigger would stop
    "flights grounded" reading as "ground" in an impact phrase. Write lemmas."""
    lex = read_lexicon()
    tables = (lex.triggers, lex.cues, lex.impacts)
    words = {w for table in tables for phrases in table.values() for p in phrases
             for w in parse_phrase(p).words}  # fmt: skip
    inflected = set()
    for word in words - WRITTEN_FORMS:
        if (stems(word) - {word}) & words:
            inflected.add(word)
    assert not inflected


# Words that are more than one token, so they never match a token today (fixing them would
# change what the tagger finds: a change for whoever tunes the rules).
NEVER_MATCH = {"ready-mix", "station's", "M/V", "M/T"}


def test_the_word_lists_hold_single_tokens_in_their_case() -> None:
    material = read_material_words()  # checks lists, keys against materials.json, duplicates
    places = read_place_words()  # checks lists, country codes, duplicates
    words: dict[str, frozenset[str]] = {}
    for holder in (material, places):
        for item in fields(holder):
            value = getattr(holder, item.name)
            words[item.name] = (
                frozenset().union(*value.values()) if isinstance(value, dict) else value
            )
    assert all(words.values())
    assert "ore" in material.needs_context["lead"]  # through @metals
    assert "price" in material.needs_context["lead"] and "price" in material.exposure  # @trade
    upper = ("not_locodes", "ship_prefixes", "subdivision_countries")
    case = {**dict.fromkeys(upper, str.upper), "origin_prefixes": str.title,
            "us_state_abbreviations": str}  # fmt: skip
    for name, found in words.items():
        assert all(case.get(name, str.lower)(w) == w for w in found), name
    several = {"descriptive", "in_passing", "capitalised", "port_orgs", "vague_names",
               "us_state_abbreviations"}  # fmt: skip
    multi = {w for n, f in words.items() if n not in several for w in f if len(tokens(w)) != 1}
    assert multi == NEVER_MATCH


def test_the_place_files_have_known_codes_and_no_duplicates() -> None:
    gaz = gazetteer()  # reading checks codes, coordinates, kinds and cautions row by row
    ports = unique("ports.csv", lambda r: r["locode"])
    assert all(r["locode"][:2] == r["country"] for r in ports)
    assert len(gaz.locodes) == len(ports)
    unique("countries.csv", lambda r: r["alpha2"])
    unique("waterways.csv", lambda r: r["name"].lower())
    unique("agencies.csv", lambda r: r["name"].lower())
    unique("ambiguous.csv", lambda r: r["name"].lower())
    for row in unique("exonyms.csv", lambda r: r["alias"].lower()):
        cities = gaz.entries.get(fold(row["city"]).lower(), [])
        assert any(c.place.kind == "city" and c.place.country == row["country"] for c in cities), (
            f"exonyms.csv:{row.line}: no city {row['city']!r} in {row['country']}"
        )


@pytest.mark.parametrize(
    ("name", "read", "line", "message"),
    [
        ("material_words.csv", read_material_words, "block_after;tinn;can", "'tinn' in block_af"),
        ("material_words.csv", read_material_words, "in_passing;;bikes", "'bikes' in in_passing"),
        ("material_words.csv", read_material_words, "exposure;;@trades", "'@trades' names no set"),
        ("material_words.csv", read_material_words, "endings;drugz;mab", "'drugz' in endings"),
        ("place_words.csv", read_place_words, "subdivision_countries;;XX", "'XX' in subdivision"),
        ("producers.csv", read_producers, "Acme;widgets", "'widgets' is not a material"),
        ("producers.csv", read_producers, "toyota;vehicles", "'toyota' is listed twice"),
        ("place_words.csv", read_place_words, "function;;of", "'of' is already in function"),
    ],
)
def test_a_bad_word_row_names_file_and_line(
    tmp_path: Path, name: str, read: Callable[[Path], object], line: str, message: str
) -> None:
    number = with_row(tmp_path, name, line)
    with pytest.raises(
        DataFileError, match=rf"^{re.escape(name)}:{number}: .*{re.escape(message)}"
    ):
        read(tmp_path)
