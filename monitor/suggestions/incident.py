"""Suggestions for a whole incident, shaped for an alert's payload."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from sqlmodel import Session

from monitor.settings import Settings
from monitor.suggestions.areas import areas_from_tagged
from monitor.suggestions.engine import suggest
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
    results = []
    for m in materials:
        name = str(m.get("name", "")) if isinstance(m, Mapping) else m
        if canonical_material(name) is None:
            log.warning("no suggestions for unknown material %r", name)
            continue
        found = suggest(name, areas, buyer, limit, session=session, settings=settings)
        results.append(found.to_dict())
    return results
