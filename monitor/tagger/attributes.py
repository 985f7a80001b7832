"""A dictionary-backed stand-in for spaCy's attribute ruler, for the tagger's hot path.

The English pipeline's attribute ruler maps fine-grained tags to POS and morphology (and fixes
a few lemmas) with a Matcher; on short texts that Matcher costs as much as the tagger network.
Its patterns are all one or two tokens keyed by TAG and/or LOWER, so plain dictionary lookups
give the same result for a fraction of the cost. Patterns on DEP never apply: the tagger
loads no parser.
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import pairwise
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

Attrs = dict[str, str]


class FastAttributeRuler:
    """Apply an AttributeRuler's patterns by lookup: TAG, then (LOWER, TAG), then LOWER."""

    def __init__(self, patterns: Iterable[dict[str, Any]]) -> None:
        self.by_tag: dict[str, Attrs] = {}
        self.by_lower_tag: dict[tuple[str, str], Attrs] = {}
        self.by_lower: dict[str, Attrs] = {}
        self.pairs: dict[tuple[str, str], list[tuple[Attrs, int]]] = {}
        for entry in patterns:
            attrs, index = entry["attrs"], entry.get("index", 0)
            for pattern in entry["patterns"]:
                keys = [set(t) for t in pattern]
                if any(None in (_values(v) for v in t.values()) for t in pattern):
                    continue  # an operator this pipeline's patterns do not use
                if len(pattern) == 2 and keys == [{"LOWER"}, {"LOWER"}]:
                    for a in _values(pattern[0]["LOWER"]) or ():
                        for b in _values(pattern[1]["LOWER"]) or ():
                            self.pairs.setdefault((a, b), []).append((attrs, index))
                elif len(pattern) != 1 or "DEP" in keys[0]:
                    continue  # never produced by this pipeline
                elif keys[0] == {"TAG"}:
                    self.by_tag.update(dict.fromkeys(_values(pattern[0]["TAG"]) or (), attrs))
                elif keys[0] == {"LOWER", "TAG"}:
                    for lower in _values(pattern[0]["LOWER"]) or ():
                        for tag in _values(pattern[0]["TAG"]) or ():
                            self.by_lower_tag[(lower, tag)] = attrs
                elif keys[0] == {"LOWER"}:
                    self.by_lower.update(dict.fromkeys(_values(pattern[0]["LOWER"]) or (), attrs))

    def __call__(self, doc: Doc) -> Doc:
        """Set POS, MORPH and LEMMA as the attribute ruler would."""
        tokens = list(doc)
        for token in tokens:
            lower, tag = token.lower_, token.tag_
            for attrs in (
                self.by_tag.get(tag),
                self.by_lower_tag.get((lower, tag)),
                self.by_lower.get(lower),
            ):
                if attrs:
                    _apply(token, attrs)
        for first, second in pairwise(tokens):
            for attrs, index in self.pairs.get((first.lower_, second.lower_), ()):
                _apply((first, second)[index], attrs)
        return doc


def _values(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict) and set(value) == {"IN"}:
        return list(value["IN"])
    return None


def _apply(token: Token, attrs: Attrs) -> None:
    if "POS" in attrs:
        token.pos_ = attrs["POS"]
    if "MORPH" in attrs:
        token.set_morph(attrs["MORPH"])  # type: ignore[attr-defined]
    if "LEMMA" in attrs:
        token.lemma_ = attrs["LEMMA"]


@Language.factory("fast_attribute_ruler", default_config={"patterns": []})
def make_fast_attribute_ruler(
    nlp: Language, name: str, patterns: list[dict[str, Any]]
) -> FastAttributeRuler:
    """Build the lookup ruler from an AttributeRuler's patterns."""
    return FastAttributeRuler(patterns)


def use_fast_attribute_ruler(nlp: Language) -> None:
    """Swap the pipeline's attribute ruler for the lookup version, in place."""
    patterns = nlp.get_pipe("attribute_ruler").patterns  # type: ignore[attr-defined]
    nlp.add_pipe("fast_attribute_ruler", before="attribute_ruler", config={"patterns": patterns})
    nlp.remove_pipe("attribute_ruler")
