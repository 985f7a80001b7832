"""The reference ranking, as a competent engineer first writes it: SQL selects the rows of
the material (and its substitutes) outside the excluded countries, Python ranks them all.

`suggest()` must return the same top list while reading far fewer rows (it stops once the top
list is final); the tests compare the two, and bench/suggest.py times both.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session

from monitor.errors import MonitorError
from monitor.settings import Settings
from monitor.suggestions import query as q
from monitor.suggestions.areas import AffectedArea
from monitor.suggestions.engine import Exclusions, buyer_context
from monitor.suggestions.result import Candidate
from monitor.suggestions.scoring import Need, score, shortfalls
from monitor.suppliers.vocab import canonical_certification
from monitor.vocab import canonical_material


def filtered_scan(
    *,
    session: Session,
    material: str,
    areas: Sequence[AffectedArea],
    need: Need,
    buyer: int | None,
    settings: Settings,
    limit: int = 10,
) -> list[tuple[int, float]]:
    """Return the top (supplier id, score) pairs from every row of the wanted materials."""
    found = canonical_material(material)
    if found is None:
        raise MonitorError(f"unknown material {material!r}")
    need = Need(
        need.quantity, need.max_lead_days, [canonical_certification(c) for c in need.certifications]
    )
    wanted = {found.name, *found.substitutes}
    countries = {a.whole_country for a in areas if a.whole_country}
    excl = Exclusions.of(areas, settings)
    ctx = buyer_context(session, buyer, areas, settings) if buyer is not None else None
    best: dict[int, float] = {}
    rows = (
        select(*q.COLUMNS)
        .join_from(q.SUPPLIERS, q.MATERIALS, q.S.id == q.SM.supplier_id)
        .where(q.SM.material.in_(sorted(wanted)), q.SM.country.not_in(sorted(countries)))
    )
    for row in session.execute(rows).all():
        c = Candidate(*row)
        if excl.why_inside(c.subdivision, c.lat, c.lon) or shortfalls(c, need, ctx):
            continue
        sub_for = None if c.material == found.name else found.name
        best[c.supplier_id] = max(
            score(c, sub_for, need, ctx, settings).score, best.get(c.supplier_id, -1.0)
        )
    return sorted(best.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
