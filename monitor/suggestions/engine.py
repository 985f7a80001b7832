"""`suggest()`: alternative suppliers outside the affected areas, ranked with reasons.

The query is index-driven: supplier_materials rows for the material and its substitutes,
with the excluded countries filtered on the (material, country) index, joined to suppliers.
Subdivisions and point radii are checked in Python on that candidate set (a bounding box
first, the exact haversine distance only inside it), then candidates are scored and ranked.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlmodel import Session, SQLModel

from monitor.errors import MonitorError
from monitor.models import Buyer, BuyerSupplier, Supplier, SupplierMaterial
from monitor.settings import Settings, get_settings
from monitor.suggestions.areas import AffectedArea, PointCheck, point_checks
from monitor.suggestions.result import Candidate, Suggestion, SuggestionResult
from monitor.suggestions.scoring import BuyerContext, Need, score, shortfalls
from monitor.suppliers.vocab import canonical_certification
from monitor.vocab import canonical_material, materials

log = logging.getLogger(__name__)
# Core tables, not ORM objects: a query reads thousands of rows and builds no entities.
SUPPLIERS = SQLModel.metadata.tables[Supplier.__tablename__]
MATERIALS = SQLModel.metadata.tables[SupplierMaterial.__tablename__]
LINKS = SQLModel.metadata.tables[BuyerSupplier.__tablename__]
S, SM = SUPPLIERS.c, MATERIALS.c
COLUMNS = (S.id, S.name, S.country, S.subdivision, S.city, S.lat, S.lon, SM.material,
           S.capacity_monthly, S.capacity_unit, S.min_order, S.lead_time_days, S.size_class,
           S.certifications, S.contact, S.is_demo)  # fmt: skip
PARTIAL_SCAN = 500  # rows read from inside the excluded countries when nothing qualifies


def suggest(
    material: str,
    affected_places: Sequence[AffectedArea] = (),
    buyer: int | None = None,
    limit: int = 10,
    *,
    session: Session,
    need: Need | None = None,
    settings: Settings | None = None,
) -> SuggestionResult:
    """Return up to `limit` alternative suppliers of `material` outside `affected_places`."""
    s = settings or get_settings()
    need = need or Need()
    need.certifications = [canonical_certification(c) for c in need.certifications]
    found = canonical_material(material)
    if found is None:
        raise MonitorError(f"unknown material {material!r}: use a name or HS heading it knows")
    subs = [m for m in found.substitutes if m in materials()]
    wanted = [found.name, *subs]
    countries = sorted({a.whole_country for a in affected_places if a.whole_country})
    subdivisions = {a.subdivision for a in affected_places if a.subdivision and not a.is_point}
    points = point_checks(affected_places, s.suggest_point_radius_km)
    excluded = [a.label(s.suggest_point_radius_km) for a in affected_places]

    query = select(*COLUMNS).join_from(SUPPLIERS, MATERIALS, S.id == SM.supplier_id)
    query = query.where(SM.material.in_(wanted))
    if countries:
        query = query.where(SM.country.not_in(countries))
    rows = session.execute(query.limit(s.suggest_candidate_cap)).all()
    if len(rows) == s.suggest_candidate_cap:
        log.warning("suggest %s: candidate cap %d reached", found.name, s.suggest_candidate_cap)
    ctx = _buyer_context(session, buyer, affected_places, s) if buyer is not None else None

    best: dict[int, Suggestion] = {}
    rejected: dict[int, Suggestion] = {}
    for row in rows:
        c = Candidate(*row)
        sub_for = None if c.material == found.name else found.name
        why = _outside(c, subdivisions, points) + shortfalls(c, need, ctx)
        ranked = score(c, sub_for, need, ctx, s)
        target = rejected if why else best
        ranked.shortfalls = why
        if c.supplier_id not in target or target[c.supplier_id].score < ranked.score:
            target[c.supplier_id] = ranked  # a supplier of both material and substitute
    for sid in best.keys() & rejected.keys():
        del rejected[sid]
    top = heapq.nsmallest(limit, best.values(), key=lambda x: (-x.score, x.supplier.supplier_id))
    partial: list[Suggestion] = []
    if not top:
        partial = _partial(session, wanted, found.name, countries, rejected, need, ctx, s, limit)
    result = SuggestionResult(found.name, subs, excluded, top, partial, "", len(rows))
    result.message = _message(result, countries)
    return result


def _outside(c: Candidate, subdivisions: set[str], points: list[PointCheck]) -> list[str]:
    if c.subdivision and c.subdivision in subdivisions:
        return [f"inside the affected subdivision {c.subdivision}"]
    if c.lat is None or c.lon is None:
        return []
    for p in points:
        d = p.distance_if_inside(c.lat, c.lon)
        if d is not None:
            where = p.area.name or "the event"
            return [f"{d:.0f} km from {where}, inside the {p.radius_km:g} km radius"]
    return []


def _buyer_context(
    session: Session, buyer: int, areas: Sequence[AffectedArea], s: Settings
) -> BuyerContext:
    if session.get(Buyer, buyer) is None:
        raise MonitorError(f"no buyer with id {buyer}")
    q = select(*COLUMNS[:7]).join_from(LINKS, SUPPLIERS, LINKS.c.supplier_id == S.id)
    rows = session.execute(q.where(LINKS.c.buyer_id == buyer)).all()
    countries = {a.whole_country for a in areas if a.whole_country}
    subdivisions = {a.subdivision for a in areas if a.subdivision and not a.is_point}
    points = point_checks(areas, s.suggest_point_radius_km)
    exposed = set()
    for sid, _name, country, sub, _city, lat, lon in rows:
        if (
            country in countries
            or (sub and sub in subdivisions)
            or (lat is not None and any(p.distance_if_inside(lat, lon) is not None for p in points))
        ):
            exposed.add(sid)
    counts = Counter(r[2] for r in rows)
    share = {k: v / len(rows) for k, v in counts.items()}
    return BuyerContext({r[0] for r in rows}, exposed, share)


def _partial(
    session: Session,
    wanted: list[str],
    material: str,
    countries: list[str],
    rejected: dict[int, Suggestion],
    need: Need,
    ctx: BuyerContext | None,
    s: Settings,
    limit: int,
) -> list[Suggestion]:
    near = list(rejected.values())
    if countries:  # suppliers inside the excluded countries are the other near misses
        q = select(*COLUMNS).join_from(SUPPLIERS, MATERIALS, S.id == SM.supplier_id)
        q = q.where(SM.material.in_(wanted), SM.country.in_(countries)).limit(PARTIAL_SCAN)
        for row in session.execute(q).all():
            c = Candidate(*row)
            ranked = score(c, None if c.material == material else material, need, ctx, s)
            ranked.shortfalls = [f"inside the affected country {c.country}"]
            ranked.shortfalls += shortfalls(c, need, ctx)
            near.append(ranked)
    near.sort(key=lambda x: (len(x.shortfalls), -x.score, x.supplier.supplier_id))
    return near[:limit]


def _message(r: SuggestionResult, countries: list[str]) -> str:
    what = r.material + (f" (or {', '.join(r.substitutes)})" if r.substitutes else "")
    where = f" outside {'; '.join(r.excluded)}" if r.excluded else ""
    if r.suggestions:
        return f"{len(r.suggestions)} alternative suppliers of {what}{where}"
    if r.partial_matches:
        return (
            f"no alternative supplier of {what}{where} meets every requirement; "
            f"the {len(r.partial_matches)} nearest partial matches are listed with what they lack"
        )
    return f"no supplier of {what} is in the directory at all"
