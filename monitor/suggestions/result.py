"""What a suggestion query returns: ranked alternatives, near misses and a message."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Candidate:
    """One supplier row offering the material (or a substitute), as the query reads it."""

    supplier_id: int
    name: str
    country: str
    subdivision: str | None
    city: str | None
    lat: float | None
    lon: float | None
    material: str
    capacity_monthly: float | None
    capacity_unit: str | None
    min_order: float | None
    lead_time_days: int | None
    size_class: str
    certifications: list[str]
    contact: str | None
    is_demo: bool


@dataclass
class SuggestedSupplier(Candidate):
    """A suggestion as alerts and the API show it: the supplier's fields, flat, and its score."""

    substitute_for: str | None
    score: float
    parts: dict[str, float]
    reasons: list[str]
    shortfalls: list[str] = field(default_factory=list)


@dataclass
class Suggestions:
    """The answer to one query as the API shows it (`SuggestionResult.to_dict()`'s shape)."""

    material: str
    substitutes: list[str]
    excluded: list[str]
    message: str
    candidates: int
    suggestions: list[SuggestedSupplier]
    partial_matches: list[SuggestedSupplier]


@dataclass
class Suggestion:
    """A ranked supplier with its score, the parts of the score and the reasons in words."""

    supplier: Candidate
    substitute_for: str | None
    score: float
    parts: dict[str, float]
    reasons: list[str]
    shortfalls: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict (alerts and the API carry this)."""
        out = asdict(self.supplier)
        out.update(
            substitute_for=self.substitute_for,
            score=self.score,
            parts=self.parts,
            reasons=self.reasons,
        )
        if self.shortfalls:
            out["shortfalls"] = self.shortfalls
        return out


@dataclass
class SuggestionResult:
    """The answer to one query; `partial_matches` is filled when no alternative qualifies."""

    material: str
    substitutes: list[str]
    excluded: list[str]
    suggestions: list[Suggestion]
    partial_matches: list[Suggestion]
    message: str
    candidates: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "material": self.material,
            "substitutes": self.substitutes,
            "excluded": self.excluded,
            "message": self.message,
            "candidates": self.candidates,
            "suggestions": [s.to_dict() for s in self.suggestions],
            "partial_matches": [s.to_dict() for s in self.partial_matches],
        }
