"""Decide whether an item reports a disruption, which event, and how sure we are.

A disruption is a concrete event that stops or cuts supply, production or transport somewhere.
Earnings, price commentary, openings, trade deals and launches are not, nor are threats,
forecasts and events called off; an item about a disruption ending is a recovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.tagger.events import Match, Trigger
from monitor.vocab import EVENT_TYPES

# Effects weigh less than causes: "typhoon closes port" is a storm, not port congestion.
EFFECT_TYPES = {"port_congestion": 0.75, "route_blockage": 0.8, "power_outage": 0.9}
# A type that a cue refines: a fire among fields and forests is a wildfire.
REFINE = {"fire_explosion": ("wildland", "wildfire")}
TITLE_BONUS = 1.5
THRESHOLD = 0.75
NOT_YET = {"watch", "forecast", "drill", "exercise", "simulation"}
MIN_MAGNITUDE = 4.0  # smaller quakes are rarely felt, let alone damaging


@dataclass(frozen=True)
class Verdict:
    """What the classifier decided, with the matches that decided it."""

    is_disruption: bool
    recovery: bool
    event_type: str | None
    confidence: float
    evidence: tuple[tuple[Match, str], ...]  # (match, why), once per span and reason


def _in_title(m: Match, title_len: int) -> bool:
    return m.start_char < title_len


def _type_scores(asserted: Sequence[Trigger], title_len: int) -> dict[str, float]:
    scores: dict[str, float] = {}
    for t in asserted:
        weight = t.match.weight * EFFECT_TYPES.get(t.event_type, 1.0)
        if _in_title(t.match, title_len):
            weight *= TITLE_BONUS
        scores[t.event_type] = scores.get(t.event_type, 0.0) + weight
    return scores


def decide(
    *,
    triggers: Sequence[Trigger],
    cues: Sequence[Match],
    title_len: int,
    event_hint: str | None = None,
    has_country: bool = True,
    magnitude: float | None = None,
) -> Verdict:
    """Weigh triggers and cues (and the feed's hints) into a verdict."""
    asserted = [t for t in triggers if t.status == "asserted"]
    scores = _type_scores(asserted, title_len)
    kinds = {c.label.removeprefix("cue:") for c in cues}
    by_kind = {k: [c for c in cues if c.label == f"cue:{k}"] for k in kinds}
    hint = event_hint if event_hint in EVENT_TYPES else None

    strength = max((s for s in scores.values()), default=0.0)
    score = min(strength, 1.5)
    if "impact" in kinds and asserted:
        score += 0.3
    context = by_kind.get("context", [])
    context_weight = sum(2 if _in_title(c, title_len) else 1 for c in context)
    score -= 0.3 * min(context_weight, 4)
    calm = bool(by_kind.get("calm"))
    if calm:
        score -= 0.8
    recovery_cues = by_kind.get("recovery", []) + [t.cue for t in triggers if t.status == "ended"]
    title_recovery = any(_in_title(c, title_len) for c in recovery_cues if c is not None)
    recovery = bool(recovery_cues) and (title_recovery or not asserted)
    if recovery:  # a report that something is over is about its end, not a new disruption
        score = min(score, THRESHOLD - 0.3) if title_recovery else score - 0.3

    if hint is not None:
        # A hazard feed says what happened. It hits supply unless it is out at sea, too weak
        # to be felt, only a watch or outlook (hedged in the title), a test, or harmless.
        watch = any(
            _in_title(c, title_len) and c.key in NOT_YET for c in by_kind.get("hedge_after", ())
        )
        weak = magnitude is not None and magnitude < MIN_MAGNITUDE
        is_disruption = has_country and not (weak or watch or calm or recovery)
        score = THRESHOLD + 0.6 if is_disruption else THRESHOLD - 0.6
    else:
        is_disruption = score >= THRESHOLD
    ranked = sorted(scores, key=lambda k: (-scores[k], _first(asserted, k)))
    event_type = hint or (ranked[0] if ranked else None)
    if event_type is None and recovery:
        event_type = _recovered(triggers, title_len)
    if is_disruption and event_type is None:
        event_type = "other"
    found_type = event_type
    if event_type in REFINE and REFINE[event_type][0] in kinds:
        event_type = REFINE[event_type][1]
    if not is_disruption and not recovery:
        event_type = None
    margin = abs(score - THRESHOLD)
    confidence = round(min(0.98, 0.55 + 0.4 * margin), 2) if triggers or cues else 0.95
    evidence = [(t.match, "event trigger") for t in asserted if t.event_type == found_type]
    evidence += [(t.cue, f"{t.status}: {t.event_type}") for t in triggers if t.cue is not None]
    for kind, why in (("impact", "impact"), ("calm", "no impact reported"),
                      ("recovery", "recovery"), ("context", "not an event report")):  # fmt: skip
        evidence += [(c, why) for c in by_kind.get(kind, ())]
    unique = {(m.start_char, m.end_char, why): (m, why) for m, why in evidence if m is not None}
    return Verdict(is_disruption, recovery, event_type, confidence, tuple(unique.values()))


def _first(triggers: Sequence[Trigger], event_type: str) -> int:
    return min(t.match.start for t in triggers if t.event_type == event_type)


def _recovered(triggers: Sequence[Trigger], title_len: int) -> str | None:
    """Return the event a recovery report is about: its most prominent trigger of any status."""
    if not triggers:
        return None
    scores = _type_scores(triggers, title_len)
    return max(scores, key=lambda k: scores[k])
