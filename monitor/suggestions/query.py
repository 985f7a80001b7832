"""The SQL side of suggestions: candidate rows, ordered by an upper bound of their score.

The bound repeats the score parts that SQL can compute (material, capacity, lead time, size,
diversification) and adds the largest possible certifications part, so no row further down the
order can beat the rows above it by more than that; the engine stops reading once it can't.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select, case, literal, select
from sqlalchemy.sql.elements import ColumnElement
from sqlmodel import SQLModel

from monitor.models import BuyerSupplier, Supplier, SupplierMaterial
from monitor.settings import Settings
from monitor.suggestions.scoring import SIZE_SCORES, BuyerContext, Need

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
    material: str, need: Need, ctx: BuyerContext | None, s: Settings
) -> ColumnElement[Any]:
    """Return an SQL expression that is never below the score `scoring.score` gives a row."""
    mat = case((SM.material == material, _f(1.0)), else_=_f(s.suggest_substitute_factor))
    cap = S.capacity_monthly
    if need.quantity:
        capacity = case(
            (cap.is_(None), _f(0)), (cap >= 2 * need.quantity, _f(1)),
            else_=cap * _f(1 / (2 * need.quantity)),
        )  # fmt: skip
    else:
        capacity = case((cap.is_(None), _f(0)), else_=_f(0.5))
    lead = S.lead_time_days
    if need.max_lead_days:
        lead_part = case((lead.is_(None), _f(0)), else_=1 - lead * _f(0.5 / need.max_lead_days))
    else:
        lead_part = case((lead.is_(None), _f(0)), (lead >= 90, _f(0)), else_=1 - lead * _f(1 / 90))
    size = case(*((S.size_class == k, _f(v)) for k, v in SIZE_SCORES.items()), else_=_f(0))
    certs = _f(1.0 if need.certifications else 0.0)
    if ctx and ctx.country_share:
        shares = [(S.country == c, _f(1 - share)) for c, share in ctx.country_share.items()]
        diversity: ColumnElement[Any] = case(*shares, else_=_f(1))
    else:
        diversity = _f(0)
    slack = 0.001  # parts are rounded to 4 places in Python
    return (
        mat * _f(s.suggest_weight_material)
        + capacity * _f(s.suggest_weight_capacity)
        + lead_part * _f(s.suggest_weight_lead_time)
        + size * _f(s.suggest_weight_size)
        + certs * _f(s.suggest_weight_certifications)
        + diversity * _f(s.suggest_weight_diversification)
        + _f(slack)
    )


def candidates(
    wanted: Sequence[str], *, outside: Sequence[str] = (), inside: Sequence[str] = ()
) -> Select[Any]:
    """Return rows offering any `wanted` material, outside or inside some countries.

    Served by the (material, country) index on supplier_materials, then the suppliers' key.
    """
    query = select(*COLUMNS).join_from(SUPPLIERS, MATERIALS, S.id == SM.supplier_id)
    query = query.where(SM.material.in_(wanted))
    if outside:
        query = query.where(SM.country.not_in(outside))
    if inside:
        query = query.where(SM.country.in_(inside))
    return query


def meeting(query: Select[Any], need: Need) -> Select[Any]:
    """Narrow `query` to rows that meet the buyer's hard requirements."""
    if need.quantity is not None:
        query = query.where(S.capacity_monthly >= need.quantity)
        query = query.where((S.min_order.is_(None)) | (S.min_order <= need.quantity))
    if need.max_lead_days is not None:
        query = query.where(S.lead_time_days <= need.max_lead_days)
    return query


def buyer_suppliers(buyer: int) -> Select[Any]:
    """Return the buyer's current suppliers with where they are."""
    query = select(S.id, S.country, S.subdivision, S.lat, S.lon)
    query = query.join_from(LINKS, SUPPLIERS, LINKS.c.supplier_id == S.id)
    return query.where(LINKS.c.buyer_id == buyer)
