"""The shared vocabularies of docs/design.md: event types, severities and materials."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from monitor.errors import InvalidInput

DATA = Path(__file__).resolve().parent / "data"

EVENT_TYPES = (
    "strike", "port_congestion", "route_blockage", "earthquake", "flood", "storm", "drought",
    "wildfire", "volcano", "extreme_weather", "fire_explosion", "export_restriction",
    "sanctions", "conflict", "piracy_attack", "cyberattack", "power_outage",
    "pandemic_lockdown", "insolvency", "recall_contamination", "other",
)  # fmt: skip
SEVERITIES = ("low", "medium", "high", "critical")
# What happened to supply, beside the event that caused it (`impacts` in the tag contract).
IMPACTS = (
    "port_closure", "port_congestion", "route_blockage", "sailings_cancelled", "production_halt",
    "power_outage", "export_halt", "transport_suspension", "shortage",
)  # fmt: skip


def severity_rank(severity: str) -> int:
    """Return 0..3 for low..critical; raise ValueError for anything else."""
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Material:
    """A canonical material: lower-case English name, HS heading, synonyms, substitutes."""

    name: str
    hs: str | None
    category: str
    synonyms: tuple[str, ...]
    substitutes: tuple[str, ...]


@lru_cache
def materials() -> dict[str, Material]:
    """Return the curated materials lexicon (monitor/data/materials.json) by canonical name."""
    raw = json.loads((DATA / "materials.json").read_text(encoding="utf-8"))
    return {
        m["name"]: Material(m["name"], m.get("hs"), m["category"], tuple(m["synonyms"]),
                            tuple(m.get("substitutes", ())))
        for m in raw["materials"]
    }  # fmt: skip


@lru_cache
def _by_alias() -> dict[str, Material]:
    index: dict[str, Material] = {}
    for m in materials().values():
        for alias in (*m.synonyms, m.name):
            index[alias.lower()] = m
    for m in materials().values():  # an HS heading resolves to the first material that has it
        if m.hs:
            index.setdefault(m.hs, m)
    return index


def canonical_material(text: str) -> Material | None:
    """Return the material a name, synonym or HS heading stands for, or None."""
    return _by_alias().get(text.strip().lower())


def require_material(text: str, *, field: str = "material") -> str:
    """Return the canonical name `text` stands for; raise InvalidInput naming `field` if none."""
    found = canonical_material(text)
    if found is None:
        raise InvalidInput(field, f"unknown material {text!r}")
    return found.name
