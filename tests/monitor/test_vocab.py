"""The shared vocabularies: materials resolve by name, synonym and HS heading."""

from __future__ import annotations

import pytest

from monitor.vocab import EVENT_TYPES, SEVERITIES, canonical_material, materials, severity_rank


def test_synonyms_and_hs_headings_resolve_to_canonical_names() -> None:
    chips = canonical_material("Microchips")
    assert chips is not None and chips.name == "semiconductors" and chips.hs == "8542"
    cocoa = canonical_material("1801")
    assert cocoa is not None and cocoa.name == "cocoa"
    assert canonical_material("unobtainium") is None


def test_every_material_is_lower_case_with_a_4_digit_heading() -> None:
    for name, material in materials().items():
        assert name == name.lower()
        assert material.hs is None or (len(material.hs) == 4 and material.hs.isdigit())
        assert all(sub in materials() for sub in material.substitutes), name


def test_severity_order_and_event_types() -> None:
    assert [severity_rank(s) for s in SEVERITIES] == [0, 1, 2, 3]
    with pytest.raises(ValueError):
        severity_rank("apocalyptic")
    assert "strike" in EVENT_TYPES and "other" in EVENT_TYPES and len(EVENT_TYPES) == 21
