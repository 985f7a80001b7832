"""The vocabularies the watch form offers: materials (with their aliases) and countries."""

from __future__ import annotations

from functools import cache
from typing import Any

import pycountry

from monitor.vocab import materials


@cache
def watch_vocabulary() -> dict[str, list[dict[str, Any]]]:
    """Return {"materials": [{name, hs, category, synonyms}], "countries": [{code, name}]}."""
    countries = [
        {"code": c.alpha_2, "name": getattr(c, "common_name", c.name)} for c in pycountry.countries
    ]
    return {
        "materials": [
            {"name": m.name, "hs": m.hs, "category": m.category, "synonyms": list(m.synonyms)}
            for m in sorted(materials().values(), key=lambda m: m.name)
        ],
        "countries": sorted(countries, key=lambda c: c["name"]),
    }
