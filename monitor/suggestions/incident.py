"""Suggestions for a whole incident, shaped for an alert's payload."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session

from monitor.settings import Settings
from monitor.suggestions.areas import areas_from_tagged
from monitor.suggestions.engine import suggest
from monitor.suggestions.shared import contexts, suggest_for_buyers
from monitor.vocab import canonical_material

log = logging.getLogger(__name__)


def for_incident(
    *,
    session: Session,
    materials: Iterable[Mapping[str, Any] | str],
    places: Iterable[Any] = (),
    countries: Iterable[str] = (),
    buyer: int | None = None,
    limit: int = 3,
    settings: Settings | None = None,
) -> list[dict[str, Any]]:
    """Return one JSON-ready suggestion result per known material the incident hits.

    Takes the tagger's (or an Incident's) `materials`, `places` and `countries` as they are.
    """
    areas = areas_from_tagged(places=places, countries=countries)
    return [
        suggest(name, areas, buyer, limit, session=session, settings=settings).to_dict()
        for name in _known(materials)
    ]


def _known(materials: Iterable[Mapping[str, Any] | str]) -> list[str]:
    """Return the names of the lexicon's materials among tagged ones (unknown ones logged)."""
    names = []
    for m in materials:
        name = str(m.get("name", "")) if isinstance(m, Mapping) else m
        if canonical_material(name) is None:
            log.warning("no suggestions for unknown material %r", name)
        else:
            names.append(name)
    return names


def for_buyers(
    *,
    session: Session,
    wants: Mapping[int, Iterable[Mapping[str, Any] | str]],
    places: Iterable[Any] = (),
    countries: Iterable[str] = (),
    limit: int = 3,
    settings: Settings,
) -> dict[int, list[dict[str, Any]]]:
    """Return `for_incident` for each buyer and the materials it wants, reading shared rows.

    The rows of each material are read once for every buyer that wants it; a buyer that is
    not in the database gets no suggestions.
    """
    areas = areas_from_tagged(places=places, countries=countries)
    ctx = contexts(session, wants, areas, settings)
    names = {buyer: _known(materials) for buyer, materials in wants.items()}
    by_material: dict[str, list[int]] = {}
    for buyer in ctx:
        for name in names[buyer]:
            by_material.setdefault(name, []).append(buyer)
    found: dict[tuple[int, str], dict[str, Any]] = {}
    for name, buyers in by_material.items():
        results = suggest_for_buyers(
            name, areas, {b: ctx[b] for b in buyers}, limit, session=session, settings=settings
        )
        for buyer, result in results.items():
            found[buyer, name] = result.to_dict()
    return {b: [found[b, n] for n in names[b] if (b, n) in found] for b in wants}
