"""Shipping lanes a watch may name: a UN/LOCODE, or a port or waterway the tagger knows.

The matcher compares a watch's lanes, upper-cased, with the LOCODEs and the canonical names of
the ports and waterways an incident names; so a known name or alias is stored as what the
matcher will see (a port's LOCODE, a waterway's canonical name).
"""

from __future__ import annotations

import re
from functools import cache

import pycountry

from monitor.tagger.datafiles import read_rows

# Two letters of the country, three of the place: letters and the digits 2-9 (UN/LOCODE).
LOCODE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")


@cache
def known_lanes() -> dict[str, str]:
    """Return every known port and waterway name and alias, folded, mapped to its lane."""
    names: dict[str, str] = {}
    for row in read_rows("waterways.csv", ("name", "kind", "affects", "lat", "lon", "aliases")):
        for name in [row["name"], *row["aliases"].split("|")]:
            names.setdefault(name.strip().casefold(), row["name"])
    for row in read_rows("ports.csv", ("locode", "name", "country", "lat", "lon", "aliases")):
        for name in [row["name"], *row["aliases"].split("|")]:
            names.setdefault(name.strip().casefold(), row["locode"])
    names.pop("", None)
    return names


def lane(value: str) -> str:
    """Return `value` as a lane the matcher reads; ValueError when it is none."""
    text = " ".join(value.split())
    known = known_lanes().get(text.casefold())
    if known is not None:  # names first: "Congo" is a river before it is a LOCODE in CO
        return known
    code = text.upper().replace(" ", "")
    if LOCODE.match(code) and pycountry.countries.get(alpha_2=code[:2]) is not None:
        return code
    raise ValueError(f"not a UN/LOCODE (e.g. CIABJ) or a known port or waterway: {text[:60]!r}")
