"""The SQL side of suggestions: candidate rows, ordered by an upper bound of their score.

The bound repeats every score part in SQL (a certification it cannot check exactly counts as
held), so no row further down the order can score above a row's bound; the engine stops
reading once its top list beats the bound of the last row read.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, String, case, cast, desc, func, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from monitor.models import BuyerSupplier, Supplier, SupplierMaterial
from monitor.settings import Settings
from monitor.suggestions.scoring import SIZE_SCORES, BuyerContext, Need
from monitor.suppliers.vocab import CERTIFICATIONS

# Core tables, not ORM objects: a query reads many rows and should build no entities.
SUPPLIERS = SQLModel.metadata.tables[Supplier.__tablename__]
MATERIALS = SQLModel.metadata.tables[SupplierMaterial.__tablename__]
LINKS = SQLModel.metadata.tables[BuyerSupplier.__tablename__]
S, SM = SUPPLIERS.c, MATERIALS.c
COLUMNS = (S.id, S.name, S.country, S.subdivision, S.city, S.lat, S.lon, SM.material,
           S.capacity_monthly, S.capacity_unit, S.min_order, S.lead_time_days, S.size_class,
           S.certifications, S.contact, S.is_demo)  # fmt: skip


def _f(value: float) -> ColumnElement[Any]:
    return literal(float(value))


def score_bound(
    material: str, need: Need, ctx: BuyerContext | None, s: Settings, *, any_buyer: bool = False
) -> ColumnElement[Any]:
    """Return an SQL expression that is never below the score `scoring.score` gives a row.

    With `any_buyer` the bound holds whichever buyer asks: diversification at its maximum.
    """
    mat = case((SM.material == material, _f(1.0)), else_=_f(s.suggestions.substitute_factor))
    cap = SM.capacity_monthly
    if need.quantity:
        capacity = case(
            (cap.is_(None), _f(0)),
            (cap >= 2 * need.quantity, _f(1)),
            else_=cap * _f(1 / (2 * need.quantity)),
        )
    else:
        capacity = case((cap.is_(None), _f(0)), else_=_f(0.5))
    lead = SM.lead_time_days
    if need.max_lead_days:
        lead_part = case((lead.is_(None), _f(0)), else_=1 - lead * _f(0.5 / need.max_lead_days))
    else:
        lead_part = case((lead.is_(None), _f(0)), (lead >= 90, _f(0)), else_=1 - lead * _f(1 / 90))
    size = case(*((SM.size_class == k, _f(v)) for k, v in SIZE_SCORES.items()), else_=_f(0))
    certs = _certifications(need.certifications)
    if any_buyer:
        diversity: ColumnElement[Any] = _f(1)
    elif ctx and ctx.country_share:
        shares = [(SM.country == c, _f(1 - share)) for c, share in ctx.country_share.items()]
        diversity = case(*shares, else_=_f(1))
    else:
        diversity = _f(0)
    slack = 0.001  # parts are rounded to 4 places in Python
    return (
        mat * _f(s.suggestions.weight_material)
        + capacity * _f(s.suggestions.weight_capacity)
        + lead_part * _f(s.suggestions.weight_lead_time)
        + size * _f(s.suggestions.weight_size)
        + certs * _f(s.suggestions.weight_certifications)
        + diversity * _f(s.suggestions.weight_diversification)
        + _f(slack)
    )


def _certifications(requested: Sequence[str]) -> ColumnElement[Any]:
    # Known certifications are stored in their canonical spelling, so a match on the JSON text
    # is exact; an unknown one might match loosely in Python, so it counts as matched here.
    if not requested:
        return _f(0)
    text = func.lower(cast(SM.certifications, String))
    hits = [
        case((text.like(f"%{json.dumps(r).lower()}%"), _f(1)), else_=_f(0))
        if r in CERTIFICATIONS.values()
        else _f(1)
        for r in requested
    ]
    return sum(hits[1:], hits[0]) * _f(1 / len(requested))


def page(
    wanted: Sequence[str],
    bound: ColumnElement[Any],
    *,
    need: Need | None = None,
    outside: Sequence[str] = (),
    inside: Sequence[str] = (),
    offset: int = 0,
    limit: int = 100,
) -> Select[Any]:
    """Return one page of candidate rows (Candidate columns + bound), best bound first.

    The inner query ranks supplier_materials rows found through the (material, country)
    index; only the page it keeps is joined to suppliers. With `need`, rows that miss the
    buyer's hard requirements (capacity, minimum order, lead time) are left out in SQL.
    """
    ranked = select(SM.supplier_id, SM.material, bound.label("bound"))
    ranked = ranked.where(SM.material.in_(wanted))
    if outside:
        ranked = ranked.where(SM.country.not_in(outside))
    if inside:
        ranked = ranked.where(SM.country.in_(inside))
    if need is not None:
        ranked = meeting(ranked, need)
    top = ranked.order_by(desc("bound"), SM.supplier_id).offset(offset).limit(limit).subquery()
    cols = [top.c.material if c is SM.material else c for c in COLUMNS]
    query = select(*cols, top.c.bound).join_from(top, SUPPLIERS, S.id == top.c.supplier_id)
    return query.order_by(top.c.bound.desc(), S.id)


def meeting(query: Select[Any], need: Need) -> Select[Any]:
    """Narrow `query` to material rows that meet the buyer's hard requirements."""
    if need.quantity is not None:
        query = query.where(SM.capacity_monthly >= need.quantity)
        query = query.where((SM.min_order.is_(None)) | (SM.min_order <= need.quantity))
    if need.max_lead_days is not None:
        query = query.where(SM.lead_time_days <= need.max_lead_days)
    return query


def buyer_suppliers(buyer: int) -> Select[Any]:
    """Return the buyer's current suppliers with where they are."""
    query = select(S.id, S.country, S.subdivision, S.lat, S.lon)
    query = query.join_from(LINKS, SUPPLIERS, LINKS.c.supplier_id == S.id)
    return query.where(LINKS.c.buyer_id == buyer)


def buyer_suppliers_of(buyers: Sequence[int]) -> Select[Any]:
    """Return the current suppliers of several buyers, each row led by its buyer's id."""
    query = select(LINKS.c.buyer_id, S.id, S.country, S.subdivision, S.lat, S.lon)
    query = query.join_from(LINKS, SUPPLIERS, LINKS.c.supplier_id == S.id)
    return query.where(LINKS.c.buyer_id.in_(buyers))
