"""Read the tagger's data files (monitor/tagger/data/, see its README.md), row by row.

Every file is semicolon-separated UTF-8 with a header; `#` lines are comments. A row that does
not fit its file raises DataFileError naming the file and the line, so a slip in an edit fails
loudly at start-up instead of quietly changing what the tagger finds.
"""

from __future__ import annotations

import csv
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
SET = "set"  # the list of named word sets that other rows take in with "@name"
# What a list of a `list;key;word` file holds: plain words, words by a name (the key), or names.
WORDS, KEYED, NAMES = "words", "keyed", "names"


class DataFileError(ValueError):
    """A data file row that does not fit its file; the message names the file and the line."""


@dataclass(frozen=True)
class Row:
    """One row of a data file: its values by column, and where it was read."""

    file: str
    line: int
    values: dict[str, str]

    def __getitem__(self, column: str) -> str:
        return self.values[column]

    def error(self, message: str) -> DataFileError:
        """Return an error about this row that names its file and line."""
        return DataFileError(f"{self.file}:{self.line}: {message}")


def read_rows(name: str, columns: Sequence[str], directory: Path = DATA) -> Iterator[Row]:
    """Yield a data file's rows; raise DataFileError for a wrong header or a row that does not
    have exactly one value per column."""
    with (directory / name).open(encoding="utf-8") as handle:
        header: list[str] | None = None
        for number, line in enumerate(handle, start=1):
            if line.startswith("#") or not line.strip():
                continue
            values = next(csv.reader([line.rstrip("\r\n")], delimiter=";"))
            if header is None:
                header = values
                if header != list(columns):
                    raise DataFileError(
                        f"{name}:{number}: the header is {';'.join(header)!r}, "
                        f"expected {';'.join(columns)!r}"
                    )
                continue
            if len(values) != len(header):
                raise DataFileError(
                    f"{name}:{number}: {len(values)} values where the header has "
                    f"{len(header)} ({';'.join(header)})"
                )
            yield Row(name, number, dict(zip(header, values, strict=True)))


@dataclass(frozen=True)
class WordLists:
    """The word lists of one `list;key;word` file, with every "@set" taken in."""

    lists: dict[str, dict[str, frozenset[str]]]  # list -> key ("" for a plain list) -> words

    def words(self, name: str) -> frozenset[str]:
        """Return a plain list's words."""
        return self.lists.get(name, {}).get("", frozenset())

    def by_key(self, name: str) -> dict[str, frozenset[str]]:
        """Return a keyed list's words, by key."""
        return dict(self.lists.get(name, {}))

    def fields(self, lists: Mapping[str, str]) -> dict[str, Any]:
        """Return every list by name: a keyed list as a dict, the others as word sets."""
        return {n: self.by_key(n) if kind == KEYED else self.words(n) for n, kind in lists.items()}


def read_word_lists(
    name: str, lists: Mapping[str, str], directory: Path = DATA, names: Collection[str] = ()
) -> WordLists:
    """Read a `list;key;word` file; `lists` says what each list the code reads holds.

    A row adds one word to a WORDS list, or to a KEYED list's entry for one key; a word `@name`
    adds the whole `set` of that name. The keys of a KEYED list and the words of a NAMES list
    must be among `names` when it is given. Unknown lists, a key where none belongs (or none
    where one does), unknown names, blank or padded words, duplicates, unknown or unused sets
    and circular sets raise DataFileError naming the file and line.
    """
    groups: dict[tuple[str, str], list[Row]] = {}
    seen: dict[tuple[str, str, str], int] = {}
    for row in read_rows(name, ("list", "key", "word"), directory):
        _check_word_row(row, lists, names)
        kind, key, word = row["list"], row["key"], row["word"]
        if (kind, key, word) in seen:
            raise row.error(f"{word!r} is already in {kind} {key!r} (line {seen[kind, key, word]})")
        seen[kind, key, word] = row.line
        groups.setdefault((kind, key), []).append(row)
    sets = _SetReader(groups)
    out: dict[str, dict[str, frozenset[str]]] = {}
    for kind, key in groups:
        if kind != SET:
            out.setdefault(kind, {})[key] = frozenset(sets.expand(groups[kind, key], ()))
    sets.check_all_used()
    return WordLists(out)


def _check_word_row(row: Row, lists: Mapping[str, str], names: Collection[str]) -> None:
    """Raise DataFileError for a row of an unknown list, a misplaced key or an unknown name."""
    kind, key, word = row["list"], row["key"], row["word"]
    if kind != SET and kind not in lists:
        raise row.error(f"unknown list {kind!r} (known: {', '.join(sorted([SET, *lists]))})")
    keyed = kind == SET or lists[kind] == KEYED
    if keyed and not key:
        raise row.error(f"list {kind!r} needs a key")
    if not keyed and key:
        raise row.error(f"list {kind!r} takes no key, found {key!r}")
    for column, value in (("key", key), ("word", word)):
        if value != value.strip() or (column == "word" and not value):
            raise row.error(f"{column} {value!r} is blank or has spaces around it")
    if names and kind != SET:
        named = key if keyed else (word if lists[kind] == NAMES else "")
        if named and not named.startswith("@") and named not in names:
            raise row.error(f"{named!r} in {kind} is not a known name")


class _SetReader:
    """Take in "@name" words: each set's words, once, with circles and unused sets refused."""

    def __init__(self, groups: dict[tuple[str, str], list[Row]]) -> None:
        self.groups = groups
        self.done: dict[str, list[str]] = {}

    def expand(self, rows: list[Row], trail: tuple[str, ...]) -> list[str]:
        """Return the words of rows, every "@name" replaced by that set's words, in file order."""
        words: list[str] = []
        for row in rows:
            word = row["word"]
            if not word.startswith("@"):
                words.append(word)
                continue
            ref = word[1:]
            if (SET, ref) not in self.groups:
                raise row.error(f"{word!r} names no set (add rows `set;{ref};<word>`)")
            if ref in trail:
                raise row.error(f"set {ref!r} takes itself in: {' -> '.join((*trail, ref))}")
            if ref not in self.done:
                self.done[ref] = self.expand(self.groups[SET, ref], (*trail, ref))
            words += self.done[ref]
        return list(dict.fromkeys(words))

    def check_all_used(self) -> None:
        """Raise DataFileError for a set that no list takes in."""
        for (kind, key), rows in self.groups.items():
            if kind == SET and key not in self.done:
                raise rows[0].error(f"set {key!r} is taken in by no row (write @{key} or drop it)")
