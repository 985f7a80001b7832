"""Suggestions for every buyer an incident alerts, from one candidate read per material.

An incident that hits 1,000 buyers would otherwise run 1,000 `suggest()` queries that read
nearly the same rows. Here the rows of a material are read once, in the order of a bound that
holds for any buyer (diversification at its maximum), and each buyer's top list is taken from
them: the buyer-independent score parts are computed once per row, a buyer only adds its own
diversification part and skips its own exposed suppliers. A buyer's list is final once its last
entry scores strictly above the bound of the next unread row, so it is the list a full scan
would give. A buyer whose list is not final within the read cap, or who has no alternative at
all (and so needs the near misses), gets `suggest()` of its own.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlmodel import Session, col, select

from monitor.models import Buyer
from monitor.settings import Settings
from monitor.suggestions import query as q
from monitor.suggestions.areas import AffectedArea
from monitor.suggestions.engine import buyer_context_of, message, scope, suggest
from monitor.suggestions.result import Candidate, SuggestionResult
from monitor.suggestions.scoring import BuyerContext, Need, score

CHUNK = 1000  # ids per IN (...) list


@dataclass
class _Row:
    """A candidate row with what every buyer shares: its bound and score without diversity."""

    candidate: Candidate
    substitute_for: str | None
    bound: float
    base: float  # the score parts before diversification, summed in the order `score` sums


def contexts(
    session: Session, buyers: Iterable[int], areas: Sequence[AffectedArea], s: Settings
) -> dict[int, BuyerContext]:
    """Return each existing buyer's context (as `buyer_context` gives it) in a few queries."""
    ids = sorted(set(buyers))
    found: set[int] = set()
    rows: defaultdict[int, list[tuple[int, str, str | None, float | None, float | None]]]
    rows = defaultdict(list)
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        found.update(b for b in session.exec(select(Buyer.id).where(col(Buyer.id).in_(part))) if b)
        query = q.buyer_suppliers_of(part)
        for buyer, *supplier in session.execute(query).all():
            rows[buyer].append(tuple(supplier))
    return {b: buyer_context_of(rows[b], areas, s) for b in ids if b in found}


def suggest_for_buyers(
    material: str,
    areas: Sequence[AffectedArea],
    buyers: dict[int, BuyerContext],
    limit: int,
    *,
    session: Session,
    settings: Settings,
) -> dict[int, SuggestionResult]:
    """Return, per buyer, what `suggest(material, areas, buyer, limit)` returns."""
    s = settings
    found, subs, wanted, countries, excl = scope(material, areas, s)
    need = Need()
    bound = q.score_bound(found.name, need, None, s, any_buyer=True)
    tops: dict[int, _Top] = {b: _Top(ctx, limit, s) for b, ctx in buyers.items()}
    rows: list[_Row] = []
    read, batch, done = 0, max(100, 5 * limit), False
    while (
        not done and read < s.suggestions.candidate_cap and any(not t.final for t in tops.values())
    ):
        page = session.execute(
            q.page(wanted, bound, outside=countries, offset=read, limit=batch)
        ).all()
        read += len(page)
        done = len(page) < batch
        start = len(rows)
        for row in page:
            c = Candidate(*row[:-1])
            if excl.why_inside(c.subdivision, c.lat, c.lon):
                continue
            sub_for = None if c.material == found.name else found.name
            parts = score(c, sub_for, need, None, s).parts
            base = sum(v for p, v in parts.items() if p != "diversification")
            rows.append(_Row(c, sub_for, float(row[-1]), base))
        for top in tops.values():
            top.feed(rows, start, complete=done)
        batch *= 2
    excluded = [a.label(s.suggestions.point_radius_km) for a in areas]
    out = {}
    for b, top in tops.items():
        if not (top.final or done) or not top.best:
            out[b] = suggest(material, areas, b, limit, session=session, settings=s)
            continue
        ranked = [score(r.candidate, r.substitute_for, need, top.ctx, s) for r in top.best_list()]
        result = SuggestionResult(found.name, subs, excluded, ranked, [], "", read)
        result.message = message(result)
        out[b] = result
    return out


class _Top:
    """One buyer's best rows so far, and whether no unread row can change them."""

    def __init__(self, ctx: BuyerContext, limit: int, s: Settings) -> None:
        self.ctx, self.limit = ctx, limit
        self.weight = s.suggestions.weight_diversification
        self.best: dict[int, tuple[float, _Row]] = {}
        self.cut: tuple[float, int] | None = None  # rank key of the last entry, once full
        self.final = False

    def score(self, row: _Row) -> float:
        share = self.ctx.country_share
        raw = 1.0 - share.get(row.candidate.country, 0.0) if share else 0.0
        return round(row.base + round(self.weight * raw, 4), 4)

    def feed(self, rows: list[_Row], start: int, *, complete: bool) -> None:
        """Take rows[start:], stopping once the list is final."""
        if self.final:
            return
        for i in range(start, len(rows)):
            row = rows[i]
            if self.cut is not None and -self.cut[0] > row.bound:
                self.final = True  # this row and every later one score at most its bound
                return
            sid = row.candidate.supplier_id
            if sid in self.ctx.exposed_ids:
                continue
            value = self.score(row)
            if self.cut is not None and (-value, sid) >= self.cut:
                continue  # ranks below the full list, which only gets better
            if sid not in self.best or self.best[sid][0] < value:
                self.best[sid] = (value, row)
                ranked = self._ranked()
                if len(ranked) == self.limit:
                    last_value, last = ranked[-1]
                    self.cut = (-last_value, last.candidate.supplier_id)
        self.final = complete

    def _ranked(self) -> list[tuple[float, _Row]]:
        return heapq.nsmallest(
            self.limit, self.best.values(), key=lambda v: (-v[0], v[1].candidate.supplier_id)
        )

    def best_list(self) -> list[_Row]:
        """Return the rows of the top list, best first."""
        return [row for _, row in self._ranked()]
