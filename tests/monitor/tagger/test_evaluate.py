from __future__ import annotations

import pytest

from monitor.tagger.evaluate import Counts, f1_of, wilson


def test_wilson_matches_the_textbook_interval() -> None:
    low, high = wilson(8, 10)  # Wilson 95% for 8/10: 0.490 to 0.943
    assert (round(low, 3), round(high, 3)) == (0.49, 0.943)
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(5, 5)[1] == 1.0 and wilson(0, 5)[0] == 0.0


def test_f1_interval_brackets_the_f1_and_is_reproducible() -> None:
    counts = Counts()
    for i in range(40):
        counts.add({i} if i % 2 else set(), {i} if i % 3 else set())
    low, high = counts.f1_interval()
    assert low < counts.f1 < high
    assert counts.f1_interval() == (low, high)
    assert f1_of(0, 0, 0) == 1.0 and f1_of(1, 1, 0) == pytest.approx(2 / 3)
