"""`suggest()`: alternative suppliers outside the affected areas, ranked with reasons.

Candidates come from the (material, country) index with the excluded countries and the hard
requirements (capacity, lead time) filtered in SQL, ordered by an upper bound of their score
and read in small batches. Subdivisions and point radii are checked in Python on each batch (a
bounding box first, the exact haversine distance only inside it); reading stops as soon as no
unread row can beat the current top `limit`, so a query touches a few hundred rows, not all.
"""

from __future__ import annotations

import heapq
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from monitor.errors import MonitorError
from monitor.models import Buyer
from monitor.settings import Settings, get_settings
from monitor.suggestions import query as q
from monitor.suggestions.areas import AffectedArea, PointCheck, point_checks
from monitor.suggestions.result import Candidate, Suggestion, SuggestionResult
from monitor.suggestions.scoring import BuyerContext, Need, score, shortfalls
from monitor.suppliers.vocab import canonical_certification
from monitor.vocab import Material, canonical_material, materials

log = logging.getLogger(__name__)
PARTIAL_SCAN = 200  # rows read per near-miss query when nothing qualifies


@dataclass
class Exclusions:
    """The parts of the affected areas that are checked row by row in Python."""

    subdivisions: set[str]
    points: list[PointCheck]

    @classmethod
    def of(cls, areas: Sequence[AffectedArea], s: Settings) -> Exclusions:
        """Return the subdivision and point checks of `areas`."""
        subs = {a.subdivision for a in areas if a.subdivision and not a.is_point}
        return cls(subs, point_checks(areas, s.suggestions.point_radius_km))

    def why_inside(self, sub: str | None, lat: float | None, lon: float | None) -> list[str]:
        """Return why a place lies inside an affected area (empty if it does not)."""
        if sub and sub in self.subdivisions:
            return [f"inside the affected subdivision {sub}"]
        if lat is None or lon is None:
            return []
        for p in self.points:
            d = p.distance_if_inside(lat, lon)
            if d is not None:
                where = p.area.name or "the event"
                return [f"{d:.0f} km from {where}, inside the {p.radius_km:g} km radius"]
        return []


def scope(
    material: str, areas: Sequence[AffectedArea], s: Settings
) -> tuple[Material, list[str], list[str], list[str], Exclusions]:
    """Return what a query for `material` reads: the material, its known substitutes, the
    names wanted, the whole countries left out in SQL and the checks left for Python."""
    found = canonical_material(material)
    if found is None:
        raise MonitorError(f"unknown material {material!r}: use a name or HS heading it knows")
    subs = [m for m in found.substitutes if m in materials()]
    countries = sorted({a.whole_country for a in areas if a.whole_country})
    return found, subs, [found.name, *subs], countries, Exclusions.of(areas, s)


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
    certs = [canonical_certification(c) for c in need.certifications]
    need = Need(need.quantity, need.max_lead_days, certs)
    found, subs, wanted, countries, excl = scope(material, affected_places, s)
    ctx = buyer_context(session, buyer, affected_places, s) if buyer is not None else None
    bound = q.score_bound(found.name, need, ctx, s)

    best: dict[int, Suggestion] = {}
    read, batch, top = 0, max(100, 5 * limit), []
    while read < s.suggestions.candidate_cap:
        page = q.page(wanted, bound, need=need, outside=countries, offset=read, limit=batch)
        rows = session.execute(page).all()
        read += len(rows)
        for row in rows:
            c = Candidate(*row[:-1])
            if excl.why_inside(c.subdivision, c.lat, c.lon) or (
                ctx and c.supplier_id in ctx.exposed_ids
            ):
                continue
            ranked = score(c, None if c.material == found.name else found.name, need, ctx, s)
            if c.supplier_id not in best or best[c.supplier_id].score < ranked.score:
                best[c.supplier_id] = ranked  # offers both the material and a substitute
        top = heapq.nsmallest(limit, best.values(), key=_rank)
        # Unread rows score below this batch's last bound: a full top list above it is final.
        if len(rows) < batch or (len(top) == limit and top[-1].score >= rows[-1].bound):
            break
        batch *= 2  # each further round sorts again in SQL, so take bigger steps
    partial = []
    if not top:
        partial = near_misses(session, wanted, found.name, countries, excl, need, ctx, s, limit)
    excluded = [a.label(s.suggestions.point_radius_km) for a in affected_places]
    result = SuggestionResult(found.name, subs, excluded, top, partial, "", read)
    result.message = message(result)
    return result


def buyer_context(
    session: Session, buyer: int, areas: Sequence[AffectedArea], s: Settings
) -> BuyerContext:
    """Return the buyer's suppliers, which of them the areas expose, and their country mix."""
    if session.get(Buyer, buyer) is None:
        raise MonitorError(f"no buyer with id {buyer}")
    rows = session.execute(q.buyer_suppliers(buyer)).all()
    return buyer_context_of([tuple(r) for r in rows], areas, s)


def buyer_context_of(
    rows: Sequence[tuple[int, str, str | None, float | None, float | None]],
    areas: Sequence[AffectedArea],
    s: Settings,
) -> BuyerContext:
    """Return the context from the buyer's (id, country, subdivision, lat, lon) suppliers."""
    countries = {a.whole_country for a in areas if a.whole_country}
    excl = Exclusions.of(areas, s)
    exposed = set()
    for sid, country, sub, lat, lon in rows:
        if country in countries or excl.why_inside(sub, lat, lon):
            exposed.add(sid)
    share = {k: v / len(rows) for k, v in Counter(r[1] for r in rows).items()}
    return BuyerContext({r[0] for r in rows}, exposed, share)


def near_misses(
    session: Session,
    wanted: list[str],
    material: str,
    countries: list[str],
    excl: Exclusions,
    need: Need,
    ctx: BuyerContext | None,
    s: Settings,
    limit: int,
) -> list[Suggestion]:
    """Return the best suppliers that fall short, each with what it lacks, fewest gaps first."""
    bound = q.score_bound(material, need, ctx, s)
    queries = [q.page(wanted, bound, outside=countries, limit=PARTIAL_SCAN)]
    if countries:
        queries.append(q.page(wanted, bound, inside=countries, limit=PARTIAL_SCAN))
    near: dict[int, Suggestion] = {}
    for inside, query in enumerate(queries):
        for row in session.execute(query).all():
            c = Candidate(*row[:-1])
            ranked = score(c, None if c.material == material else material, need, ctx, s)
            ranked.shortfalls = [f"inside the affected country {c.country}"] if inside else []
            ranked.shortfalls += excl.why_inside(c.subdivision, c.lat, c.lon) + shortfalls(
                c, need, ctx
            )
            if ranked.shortfalls and c.supplier_id not in near:
                near[c.supplier_id] = ranked
    return sorted(near.values(), key=lambda x: (len(x.shortfalls), *_rank(x)))[:limit]


def _rank(x: Suggestion) -> tuple[float, int]:
    return (-x.score, x.supplier.supplier_id)


def message(r: SuggestionResult) -> str:
    """Return the one-line summary of a result."""
    what = r.material + (f" (or {', '.join(r.substitutes)})" if r.substitutes else "")
    where = f" outside {'; '.join(r.excluded)}" if r.excluded else ""
    if r.suggestions:
        n = len(r.suggestions)
        return f"{n} alternative supplier{'s' if n > 1 else ''} of {what}{where}"
    if r.partial_matches:
        return (
            f"no alternative supplier of {what}{where} meets every requirement; "
            f"the {len(r.partial_matches)} nearest partial matches are listed with what they lack"
        )
    return f"no supplier of {what} is in the directory at all"
