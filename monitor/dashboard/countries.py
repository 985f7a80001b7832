"""ISO 3166 numeric → alpha-2 codes: world-atlas names countries by number, the API by letters."""

from __future__ import annotations

from functools import cache

import pycountry


@cache
def numeric_to_alpha2() -> dict[str, str]:
    """Return {"156": "CN", …} for every ISO 3166-1 country."""
    return {c.numeric: c.alpha_2 for c in pycountry.countries}
