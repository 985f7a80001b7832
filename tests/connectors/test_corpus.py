"""Every file of feedparser's test corpus gives items or one clear ParseError, never a crash."""

from __future__ import annotations

from connectors import registry
from connectors.base import Item, ParseError
from tests.samples import FIXTURES

CORPUS = FIXTURES / "feedparser-corpus"


def test_whole_corpus_parses_or_fails_cleanly() -> None:
    files = sorted(p for p in CORPUS.rglob("*") if p.is_file())
    assert len(files) == 2107
    parsed, refused, crashed = 0, 0, []
    for path in files:
        try:
            items = registry.parse(path.read_bytes(), url=path.name)
        except ParseError as exc:
            refused += 1
            message = str(exc)
            assert message and "\n" not in message and "Traceback" not in message, path
        except Exception as exc:  # any other exception type is the bug this test looks for
            crashed.append(f"{path.relative_to(CORPUS)}: {type(exc).__name__}: {exc}")
        else:
            parsed += 1
            assert all(isinstance(i, Item) and i.id and i.kind for i in items), path
    assert crashed == []
    # Nearly all of the corpus is meant to be readable; a jump in refusals is a regression.
    assert parsed >= 2090 and refused <= 17, (parsed, refused)
