"""What the matcher matches against: a buyer's watch, or one of a buyer's own suppliers."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from monitor.vocab import SEVERITIES


@dataclass(frozen=True)
class SiteSpec:
    """A point a buyer depends on, with the radius an incident must fall within."""

    lat: float
    lon: float
    radius_km: float
    label: str = ""


@dataclass(frozen=True)
class WatchSpec:
    """A watch, normalised for matching. `key` is `watch:<id>` or `supplier:<buyer>:<id>`."""

    key: str
    buyer_id: int
    name: str
    watch_id: int | None = None
    materials: frozenset[str] = frozenset()  # empty: every material
    countries: frozenset[str] = frozenset()
    subdivisions: frozenset[str] = frozenset()
    lanes: frozenset[str] = frozenset()
    sites: tuple[SiteSpec, ...] = field(default_factory=tuple)
    min_severity: str = "medium"
    routine_warnings: bool = False  # also routine weather warnings (yellow, CAP Moderate)

    @cached_property
    def min_rank(self) -> int:
        """Return the lowest severity rank this watch alerts on."""
        return SEVERITIES.index(self.min_severity) if self.min_severity in SEVERITIES else 1

    def describe(self) -> dict[str, Any]:
        """Return the watch as an alert's `why.watch` shows it."""
        kind = "watch" if self.watch_id is not None else "supplier"
        return {"id": self.watch_id, "key": self.key, "kind": kind, "name": self.name}


def watch_spec(row: Any) -> WatchSpec:
    """Return the spec of a `Watch` row (or anything with the same attributes)."""
    sites = tuple(
        SiteSpec(float(s["lat"]), float(s["lon"]), float(s.get("radius_km") or 50.0),
                 str(s.get("label") or ""))
        for s in row.sites or []
    )  # fmt: skip
    return WatchSpec(
        key=f"watch:{row.id}",
        buyer_id=int(row.buyer_id),
        name=row.name or f"watch {row.id}",
        watch_id=row.id,
        materials=frozenset(m.lower() for m in row.materials or []),
        countries=frozenset(c.upper() for c in row.countries or []),
        subdivisions=frozenset(s.upper() for s in row.subdivisions or []),
        lanes=frozenset(lane.upper() for lane in row.lanes or []),
        sites=sites,
        min_severity=row.min_severity or "medium",
        routine_warnings=bool(getattr(row, "routine_warnings", False)),
    )


def supplier_spec(
    *,
    buyer_id: int,
    supplier: Any,
    materials: list[str],
    radius_km: float,
    min_severity: str = "medium",
) -> WatchSpec:
    """Return the implicit watch on a buyer's own supplier: its site (or country) and materials."""
    sites: tuple[SiteSpec, ...] = ()
    countries: frozenset[str] = frozenset()
    if supplier.lat is not None and supplier.lon is not None:
        sites = (SiteSpec(float(supplier.lat), float(supplier.lon), radius_km, supplier.name),)
    else:  # no coordinates: the supplier's whole country stands for its site
        countries = frozenset([supplier.country.upper()])
    return WatchSpec(
        key=f"supplier:{buyer_id}:{supplier.id}",
        buyer_id=buyer_id,
        name=f"your supplier {supplier.name}",
        materials=frozenset(m.lower() for m in materials),
        countries=countries,
        subdivisions=frozenset([supplier.subdivision.upper()])
        if supplier.subdivision
        else frozenset(),
        sites=sites,
        min_severity=min_severity,
    )
