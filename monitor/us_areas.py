"""US counties and states as hazard areas: what an NWS alert's county and zone codes cover.

Most NWS alerts (watches, advisories and zone-based warnings: winter storms, high wind, heat,
floods) carry no polygon, only codes: SAME/FIPS6 county codes ("008013", Boulder County,
Colorado) and UGC codes ("COC013" a county, "COZ035" a forecast zone). Here the county codes
become the counties' outlines, so an alert hits the suppliers inside those counties rather
than every site in the United States, and every code names its state (ISO 3166-2 "US-CO"),
so a watch on a state hears of it.

The outlines are the Census Bureau's 2017 cartographic county boundaries (public domain) as
redistributed by the `us-atlas` npm package (ISC licence, `monitor/data/us-atlas/`, vendored by
`deploy/vendor-assets.sh`). Only each polygon's outer ring is kept, so a county holds the
independent cities it encloses. Forecast zones have no outline here: they name their state.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import pycountry

from monitor.areas import polygon

ATLAS = "data/us-atlas/counties-10m.json"
RINGS_KEPT = 3  # a county's or state's largest rings (its mainland and biggest islands)
# us-atlas's state names that pycountry spells otherwise
STATE_NAMES = {
    "United States Virgin Islands": "Virgin Islands, U.S.",
    "Commonwealth of the Northern Mariana Islands": "Northern Mariana Islands",
}
_FIPS = re.compile(r"^\d?(\d{2})(\d{3})$")  # SAME "008013", FIPS "08013": state, county
_UGC = re.compile(r"^([A-Z]{2})([CZ])(\d{3})$")  # "COC013" a county, "COZ035" a zone


Ring = list[tuple[float, float]]


def _decoded_arcs(topology: Mapping[str, Any]) -> list[Ring]:
    """Return the topology's arcs as (lat, lon) points: its delta-encoded quantized positions
    turned back into degrees (TopoJSON specification, "transforms")."""
    (kx, ky), (x0, y0) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((round(y * ky + y0, 4), round(x * kx + x0, 4)))
        arcs.append(points)
    return arcs


def _outer_rings(geometry: Mapping[str, Any], arcs: list[Ring]) -> list[Ring]:
    """Return each polygon's outer ring, joined from its arcs (a negative index runs backwards)."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = []
    for parts in polygons:
        ring: Ring = []
        for index in parts[0]:
            arc = arcs[index] if index >= 0 else arcs[~index][::-1]
            ring.extend(arc if not ring else arc[1:])
        rings.append(ring)
    return sorted(rings, key=len, reverse=True)


@dataclass(frozen=True)
class Atlas:
    """The outlines by FIPS code, and each state's ISO 3166-2 code, name and postal code."""

    counties: dict[str, list[Ring]]  # "08013": Boulder County's largest rings
    states: dict[str, list[Ring]]  # "08": Colorado's
    iso: dict[str, tuple[str, str]]  # "08": ("US-CO", "Colorado")
    postal: dict[str, str]  # "CO": "08" (UGC's prefix)


@cache
def atlas() -> Atlas:
    """Return the atlas, read and decoded once."""
    topology = json.loads(resources.files("monitor").joinpath(ATLAS).read_text("utf-8"))
    arcs = _decoded_arcs(topology)
    counties, states = (
        {str(g["id"]): _outer_rings(g, arcs)[:RINGS_KEPT]
         for g in topology["objects"][kind]["geometries"]}
        for kind in ("counties", "states")
    )  # fmt: skip
    by_name = {s.name: s for s in pycountry.subdivisions.get(country_code="US")}
    iso = {}
    for g in topology["objects"]["states"]["geometries"]:
        state = by_name[STATE_NAMES.get(g["properties"]["name"], g["properties"]["name"])]
        iso[str(g["id"])] = (state.code, state.name)
    postal = {code.removeprefix("US-"): fips for fips, (code, _name) in iso.items()}
    return Atlas(counties, states, iso, postal)


def _codes(geocodes: Mapping[str, Iterable[str]]) -> tuple[set[str], set[str], set[str]]:
    """Return the FIPS codes of (the counties, the whole states, every state) the geocodes
    name. A whole-state SAME code ("008000") covers its state; a UGC forecast zone lies in its
    state, covering an unknown part of it."""
    us = atlas()
    counties: set[str] = set()
    whole: set[str] = set()
    states: set[str] = set()
    for name, values in geocodes.items():
        kind = name.upper()
        for value in values:
            value = str(value).strip().upper()
            if kind in ("SAME", "FIPS6", "FIPS") and (m := _FIPS.match(value)):
                state, county = m.groups()
                (whole.add(state) if county == "000" else counties.add(state + county))
            elif kind == "UGC" and (m := _UGC.match(value)) and m.group(1) in us.postal:
                state = us.postal[m.group(1)]
                (counties.add(state + m.group(3)) if m.group(2) == "C" else states.add(state))
    counties &= us.counties.keys()
    whole &= us.states.keys()
    return counties, whole, states | whole | {c[:2] for c in counties}


def states(geocodes: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """Return the (ISO 3166-2 code, name) of each state the geocodes lie in, by code:
    [("US-CO", "Colorado")]."""
    return sorted(atlas().iso[s] for s in _codes(geocodes)[2])


def area(geocodes: Mapping[str, Iterable[str]], budget: int) -> list[dict[str, Any]]:
    """Return the counties and whole states the geocodes name as polygon shapes (areas.py).

    An alert over more county rings than `budget` shapes hold gets their states' outlines
    instead, which cover every one of those counties and more; one over more than that gets
    none (its country and states still match watches). Forecast zones give no shape.
    """
    counties, whole, _ = _codes(geocodes)
    us = atlas()
    rings = [ring for s in sorted(whole) for ring in us.states[s]]
    rings += [ring for c in sorted(counties) if c[:2] not in whole for ring in us.counties[c]]
    if len(rings) > budget:
        around = sorted(whole | {c[:2] for c in counties})
        rings = [ring for s in around for ring in us.states[s]]
    if len(rings) > budget:
        return []
    return [shape for ring in rings if (shape := polygon(ring)) is not None]
