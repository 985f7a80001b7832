"""Tagger test helpers: the spaCy pipeline is loaded once per session."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from monitor.tagger import classify, events, pipeline


@pytest.fixture(scope="session")
def nlp():  # type: ignore[no-untyped-def]
    """The tagger's spaCy pipeline (NER, run on demand), loaded once."""
    return pipeline.get_nlp()


@pytest.fixture(scope="session")
def analyse(nlp) -> Callable[[str], tuple[list[events.Trigger], list[events.Match]]]:  # type: ignore[no-untyped-def]
    """Return (triggers, cues) for a text."""

    def run(text: str) -> tuple[list[events.Trigger], list[events.Match]]:
        matches = pipeline.find_matches(next(iter(pipeline.analyse([text]))))
        return events.resolve(matches), [m for m in matches if m.label.startswith("cue:")]

    return run


@pytest.fixture(scope="session")
def decide(analyse) -> Callable[..., classify.Verdict]:  # type: ignore[no-untyped-def]
    """Return the verdict for a title and body (and optional hints)."""

    def run(title: str, body: str = "", **hints: object) -> classify.Verdict:
        triggers, cues = analyse(f"{title}\n{body}")
        return classify.decide(triggers=triggers, cues=cues, title_len=len(title), **hints)  # type: ignore[arg-type]

    return run
