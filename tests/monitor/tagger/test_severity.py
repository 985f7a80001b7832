from __future__ import annotations

import pytest

from monitor.tagger import severity


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        ({"severity_hint": "critical"}, "critical"),
        ({"extra": {"alertlevel": "Orange"}}, "high"),
        ({"extra": {"alertlevel": "Green"}}, "low"),
        ({"extra": {"severity": "Extreme"}}, "critical"),
        ({"extra": {"severity": "Moderate"}}, "medium"),
        ({"extra": {"alert": "yellow"}}, "medium"),
        ({"extra": {"mag": 7.8}}, "high"),
        ({"extra": {"magnitude": 5.1}}, "low"),
        ({"extra": {"awareness_level": "3; orange; Severe"}}, "high"),
        ({}, None),
        ({"severity_hint": "bogus", "extra": "not a mapping"}, None),
    ],
)
def test_feed_hints(item: dict, expected: str | None) -> None:
    assert severity.from_hints(item) == expected


def test_magnitude_from_fields_then_text() -> None:
    assert severity.magnitude({"extra": {"mag": 6.1}}, "M 4.0 - somewhere") == 6.1
    assert severity.magnitude({}, "M 4.6 - 3km N of Grebocice, Poland") == 4.6
    assert severity.magnitude({}, "A minor earthquake measuring 3.4 occurred") == 3.4
    assert severity.magnitude({}, "No figure here") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A fire damaged a storage shed.", "medium"),
        ("The operator declared force majeure on deliveries.", "high"),
        ("Minor delays for a few hours at one gate.", "low"),
        ("The plant, which makes 25% of the world's supply, halted output.", "critical"),
        ("The blast killed 120 people and shut the nationwide network.", "critical"),
        ("Wildfires burned more than 300,000 hectares of plantations.", "high"),
        ("Ecuador extended scheduled power cuts to up to 14 hours a day.", "high"),
        ("The border was closed to trucks after the unrest.", "high"),
        ("The Coast Guard set Port Condition Zulu for the Port of Charleston.", "high"),
    ],
)
def test_text_grades(text: str, expected: str) -> None:
    grade, spans = severity.from_text(text)
    assert grade == expected
    assert all(0 <= start < end <= len(text) for start, end, _ in spans)
