"""Alternative-supplier suggestions: who can take the volume a disruption puts at risk."""

from monitor.suggestions.areas import AffectedArea, areas_from_tagged
from monitor.suggestions.engine import suggest
from monitor.suggestions.incident import for_buyers, for_incident
from monitor.suggestions.result import Candidate, Suggestion, SuggestionResult
from monitor.suggestions.scoring import Need

__all__ = [
    "AffectedArea",
    "Candidate",
    "Need",
    "Suggestion",
    "SuggestionResult",
    "areas_from_tagged",
    "for_buyers",
    "for_incident",
    "suggest",
]
