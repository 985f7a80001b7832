"""The data file reader: rows, word lists, and errors that name the file and the line."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from monitor.tagger.datafiles import (
    DATA,
    KEYED,
    NAMES,
    WORDS,
    DataFileError,
    read_rows,
    read_word_lists,
)
from monitor.tagger.gazetteer import _coordinate, _country
from monitor.tagger.lexicon import read_lexicon


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


def lexicon_with(tmp_path: Path, name: str, line: str) -> tuple[int, Path]:
    """Copy the lexicon files to tmp_path and append one line to `name`; return its number."""
    for each in ("triggers.csv", "cues.csv", "irregular_forms.csv"):
        shutil.copy(DATA / each, tmp_path / each)
    text = (tmp_path / name).read_text(encoding="utf-8")
    (tmp_path / name).write_text(text + line + "\n", encoding="utf-8")
    return text.count("\n") + 1, tmp_path


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
        ("cues.csv", "impakt;halt;;", "kind 'impakt' is not one of impact, "),
        ("cues.csv", "impact;grind;short;", "flag 'short' does not fit a impact cue"),
        ("cues.csv", "impact;grind;;strike", "only a recovery cue names the event_type"),
        ("cues.csv", "recovery;reboot;;outage", "event_type 'outage' is not an event type"),
        ("cues.csv", "neg_before;rule out;;", "'rule out' is already under neg_before"),
        ("irregular_forms.csv", "sink;sank", "'sank' is already a form of 'sink' \\(line \\d+\\)"),
        ("irregular_forms.csv", "Sink;sonk", "lemma and form are lower-case words"),
    ],
)
def test_a_bad_lexicon_row_names_file_and_line(
    tmp_path: Path, name: str, line: str, message: str
) -> None:
    number, directory = lexicon_with(tmp_path, name, line)
    with pytest.raises(DataFileError, match=rf"^{re.escape(name)}:{number}: {message}"):
        read_lexicon(directory)


def test_a_flag_belongs_to_the_phrase_wherever_it_may_stand(tmp_path: Path) -> None:
    """ "suspend" ends a trigger before or after it: a row that drops the flag is a slip."""
    number, directory = lexicon_with(tmp_path, "cues.csv", "hedge_after;could;;")
    with pytest.raises(DataFileError, match=rf"^cues\.csv:{number}: 'could' is flagged risk"):
        read_lexicon(directory)
