from __future__ import annotations

import spacy

from monitor.tagger.pipeline import MODEL

TEXT = (
    "Dockers Strike At Antwerp, Halting Cocoa Exports\n"
    "Workers at the port went on strike; they're gonna stay out. Ships were n't loaded, "
    "and the union's leaders said exports of 40,000 tonnes had been stopped."
)


def test_lookup_ruler_sets_what_the_attribute_ruler_sets(nlp) -> None:  # type: ignore[no-untyped-def]
    assert "attribute_ruler" not in nlp.pipe_names
    reference = spacy.load(MODEL, exclude=["parser", "ner"])
    want = [(t.pos_, t.lemma_, str(t.morph)) for t in reference(TEXT)]
    got = [(t.pos_, t.lemma_, str(t.morph)) for t in nlp(TEXT)]
    assert got == want
