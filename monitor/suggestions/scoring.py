"""Score one candidate: hard requirements become shortfalls, the rest weighted parts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import pycountry

from monitor.settings import Settings
from monitor.suggestions.result import Candidate, Suggestion
from monitor.suppliers.vocab import cert_key

SIZE_SCORES = {"micro": 1.0, "small": 0.8, "medium": 0.4}
PARTS = ("material", "capacity", "lead_time", "size", "certifications", "diversification")


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """Return a country's common name for reasons (`CI` → `Côte d'Ivoire`)."""
    found = pycountry.countries.get(alpha_2=code)
    if found is None:
        return code
    return str(getattr(found, "common_name", None) or found.name)


@dataclass
class Need:
    """What the buyer asks for; any of it may be unknown."""

    quantity: float | None = None
    max_lead_days: int | None = None
    certifications: Sequence[str] = ()


@dataclass
class BuyerContext:
    """The buyer's current suppliers: who is exposed, and the country mix."""

    supplier_ids: set[int] = field(default_factory=set)
    exposed_ids: set[int] = field(default_factory=set)
    country_share: dict[str, float] = field(default_factory=dict)


def shortfalls(c: Candidate, need: Need, buyer: BuyerContext | None) -> list[str]:
    """Return why the candidate cannot take the volume (empty when it can)."""
    out = []
    unit = f" {c.capacity_unit}" if c.capacity_unit else ""
    if need.quantity is not None:
        if c.capacity_monthly is None:
            out.append(f"capacity unknown (need {need.quantity:g}{unit}/month)")
        elif c.capacity_monthly < need.quantity:
            out.append(f"capacity {c.capacity_monthly:g}{unit}/month < {need.quantity:g} needed")
        if c.min_order is not None and c.min_order > need.quantity:
            out.append(f"minimum order {c.min_order:g}{unit} > {need.quantity:g} needed")
    if need.max_lead_days is not None:
        if c.lead_time_days is None:
            out.append(f"lead time unknown (limit {need.max_lead_days} days)")
        elif c.lead_time_days > need.max_lead_days:
            out.append(f"lead time {c.lead_time_days} days > {need.max_lead_days} allowed")
    if buyer and c.supplier_id in buyer.exposed_ids:
        out.append("already one of your exposed suppliers")
    return out


def score(
    c: Candidate, substitute_for: str | None, need: Need, buyer: BuyerContext | None, s: Settings
) -> Suggestion:
    """Return the candidate with its weighted score parts and reasons."""
    raw: dict[str, float] = {}
    reasons = [
        f"offers {c.material}, an accepted substitute for {substitute_for}"
        if substitute_for
        else f"offers {c.material}"
    ]
    raw["material"] = s.suggestions.substitute_factor if substitute_for else 1.0
    unit = f" {c.capacity_unit}" if c.capacity_unit else ""
    if c.capacity_monthly is None:
        raw["capacity"] = 0.0
    elif need.quantity:
        raw["capacity"] = min(1.0, c.capacity_monthly / (2 * need.quantity))
        reasons.append(
            f"capacity {c.capacity_monthly:g}{unit}/month covers the {need.quantity:g} needed "
            f"({c.capacity_monthly / need.quantity:.1f}×)"
        )
    else:
        raw["capacity"] = 0.5
        reasons.append(f"capacity {c.capacity_monthly:g}{unit}/month")
    if c.lead_time_days is None:
        raw["lead_time"] = 0.0
    else:
        limit = need.max_lead_days
        raw["lead_time"] = (
            1 - 0.5 * c.lead_time_days / limit if limit else max(0.0, 1 - c.lead_time_days / 90)
        )
        within = f" (limit {limit})" if limit is not None else ""
        reasons.append(f"lead time {c.lead_time_days} days{within}")
    raw["size"] = SIZE_SCORES.get(c.size_class, 0.0)
    reasons.append(f"{c.size_class} producer")
    raw["certifications"] = _certifications(c, need, reasons)
    raw["diversification"] = _diversification(c, buyer, reasons)
    weights = s.suggestions.weights
    parts = {p: round(weights[p] * raw[p], 4) for p in PARTS}
    return Suggestion(c, substitute_for, round(sum(parts.values()), 4), parts, reasons)


def _certifications(c: Candidate, need: Need, reasons: list[str]) -> float:
    if not need.certifications:
        if c.certifications:
            reasons.append(f"certified {', '.join(c.certifications)}")
        return 0.0
    have = {cert_key(x) for x in c.certifications}
    matched = [r for r in need.certifications if cert_key(r) in have]
    if matched:
        reasons.append(f"has requested certification {', '.join(matched)}")
    missing = [r for r in need.certifications if r not in matched]
    if missing:
        reasons.append(f"lacks requested certification {', '.join(missing)}")
    return len(matched) / len(need.certifications)


def _diversification(c: Candidate, buyer: BuyerContext | None, reasons: list[str]) -> float:
    if buyer is None or not buyer.country_share:
        return 0.0
    share = buyer.country_share.get(c.country, 0.0)
    if share == 0:
        reasons.append(f"adds a new sourcing country for you ({country_name(c.country)})")
    else:
        reasons.append(f"you already buy {share:.0%} from {country_name(c.country)}")
    if c.supplier_id in buyer.supplier_ids:
        reasons.append("already one of your suppliers, outside the affected area")
    return 1.0 - share
