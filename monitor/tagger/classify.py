"""Decide whether an item reports a disruption, which event, and how sure we are.

A disruption is a concrete event that stops or cuts supply, production or transport somewhere.
Earnings, price commentary, openings, trade deals and launches are not, nor are threats,
forecasts and events called off; an item about a disruption ending is a recovery.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monitor.tagger.events import Match, Trigger
from monitor.tagger.lexicon import lexicon
from monitor.vocab import EVENT_TYPES

# Effects weigh less than causes: "typhoon closes port" is a storm, not port congestion.
EFFECT_TYPES = {"port_congestion": 0.75, "route_blockage": 0.8, "power_outage": 0.9}
CAUSE_BOOST = 1.6  # a trigger right after "due to", "after", "caused by" names the cause
CAUSE_REACH = 6
TITLE_BONUS = 1.5
THRESHOLD = 0.75
WEAK = 0.8  # triggers below this weight need an impact cue to count
# A type that a cue refines: a fire among fields and forests is a wildfire.
REFINE = {"fire_explosion": ("wildland", "wildfire")}
HEDGED_TITLE = 0.5  # a headline that hedges ("threatens", "may") and asserts no trigger
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


def _caused(m: Match, causes: Sequence[Match]) -> bool:
    return any(c.sent == m.sent and 0 <= m.start - c.end <= CAUSE_REACH for c in causes)


def type_scores(
    triggers: Sequence[Trigger], title_len: int, causes: Sequence[Match] = ()
) -> dict[str, float]:
    """Score each event type: its strongest trigger plus a little for every other mention."""
    weights: dict[str, list[float]] = {}
    for t in triggers:
        weight = t.match.weight * EFFECT_TYPES.get(t.event_type, 1.0)
        weight *= TITLE_BONUS if _in_title(t.match, title_len) else 1.0
        weight *= CAUSE_BOOST if _caused(t.match, causes) else 1.0
        weights.setdefault(t.event_type, []).append(weight)
    return {k: max(w) + 0.3 * (sum(w) - max(w)) for k, w in weights.items()}


def _best(scores: dict[str, float], triggers: Sequence[Trigger]) -> str | None:
    first = {t.event_type: t.match.start for t in reversed(triggers)}
    return min(scores, key=lambda k: (-scores[k], first[k]), default=None)


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
    flags = lexicon().flags
    by_kind: dict[str, list[Match]] = {}
    for c in cues:
        by_kind.setdefault(c.label.removeprefix("cue:"), []).append(c)
    triggers = _negated_by_title(triggers, title_len)
    asserted = [t for t in triggers if t.status == "asserted"]
    scores = type_scores(asserted, title_len, by_kind.get("cause", ()))
    impact = bool(by_kind.get("impact")) and bool(asserted)
    score = min(max(scores.values(), default=0.0), 1.5) + (0.3 if impact else 0.0)
    if not impact and max((t.match.weight for t in asserted), default=1.0) < WEAK:
        score -= 0.3  # "good rains boost output": a weak word alone reports nothing
    # Market or results talk counts in the title, or beside a trigger: a price remark three
    # sentences away does not undo a reported closure.
    sentences = {t.match.sent for t in asserted}
    context = sum(
        2 if _in_title(c, title_len) else 1
        for c in by_kind.get("context", ())
        if _in_title(c, title_len) or c.sent in sentences or c.key in flags["genre"]
    )
    score -= 0.3 * min(context, 4)
    hedges = by_kind.get("hedge_before", []) + by_kind.get("hedge_after", [])
    if not any(_in_title(t.match, title_len) for t in asserted) and any(
        _in_title(c, title_len) and c.key in flags["risk"] for c in hedges
    ):
        score -= HEDGED_TITLE  # "El Niño threatens cocoa crop": the headline is a risk
    calm = by_kind.get("calm", [])
    if calm:  # "Zeebrugge operating normally" weighs less against a reported stoppage
        loud = any(_in_title(c, title_len) for c in calm) or not impact
        score -= 0.8 if loud else 0.3
    ended = [t for t in triggers if t.status == "ended"]
    recovery_cues = by_kind.get("recovery", []) + [t.cue for t in ended if t.cue is not None]
    title_recovery = any(_in_title(c, title_len) for c in recovery_cues)
    recovery = bool(recovery_cues) and (title_recovery or not asserted)
    if recovery:  # a report that something is over is about its end, not a new disruption
        score = min(score, THRESHOLD - 0.3) if title_recovery else score - 0.3

    hint = event_hint if event_hint in EVENT_TYPES else None
    if hint is not None:
        # A hazard feed says what happened. It hits supply unless it is out at sea, too weak
        # to be felt, only a watch or outlook, a test, or reported harmless.
        watch = any(
            _in_title(c, title_len) and c.key in flags["not_yet"]
            for c in by_kind.get("hedge_after", ())
        )
        weak = magnitude is not None and magnitude < MIN_MAGNITUDE
        is_disruption = has_country and not (weak or watch or calm or recovery)
        score = THRESHOLD + 0.6 if is_disruption else THRESHOLD - 0.6
    else:
        is_disruption = score >= THRESHOLD

    found = hint or _best(scores, asserted)
    if (
        found == "extreme_weather"
        and "flood" in scores
        and all("rain" in t.match.key for t in asserted if t.event_type == found)
    ):
        found = "flood"  # rain that floods is a flood; rain alone stops work as weather
    if found in ("extreme_weather", "drought") and any(
        t.event_type == "power_outage" and t.match.weight >= 1.0 for t in asserted
    ):
        found = "power_outage"  # rationing or blackouts in a heatwave or drought: the outage
    if recovery and not is_disruption:
        found = hint or _recovered(ended, recovery_cues, triggers, title_len) or found
    if is_disruption and found is None:
        found = "other"
    event_type = found if is_disruption or recovery else None
    if event_type in REFINE and REFINE[event_type][0] in by_kind:
        event_type = REFINE[event_type][1]
    confidence = round(min(0.98, 0.55 + 0.4 * abs(score - THRESHOLD)), 2)
    return Verdict(
        is_disruption, recovery, event_type, confidence if triggers or cues else 0.95,
        _evidence(asserted, triggers, by_kind, found, is_disruption or recovery),
    )  # fmt: skip


def _negated_by_title(triggers: Sequence[Trigger], title_len: int) -> list[Trigger]:
    """Carry a headline's negation to the body: "Union calls off strike" ... "the walkout
    at the two platforms will not go ahead" is the same strike, called off."""
    in_title = [t for t in triggers if _in_title(t.match, title_len)]
    asserted = {t.event_type for t in in_title if t.status == "asserted"}
    off = {
        t.event_type: t.cue
        for t in in_title
        if t.status == "negated" and t.cue is not None and t.cue.label != "cue:figurative"
    }
    return [
        Trigger(t.match, t.event_type, "negated", off[t.event_type])
        if t.status == "asserted" and t.event_type in off and t.event_type not in asserted
        else t
        for t in triggers
    ]


def _recovered(
    ended: Sequence[Trigger], cues: Sequence[Match], triggers: Sequence[Trigger], title_len: int
) -> str | None:
    """Return the event a recovery report is about: what ended, else what a cue implies,
    else the most prominent trigger of any status."""
    if ended:
        return _best(type_scores(ended, title_len), ended)
    recovered = lexicon().recovered
    implied = [recovered[c.key] for c in cues if c.key in recovered]
    if implied:
        return implied[0]
    return _best(type_scores(triggers, title_len), triggers)


_WHY = (("impact", "impact"), ("calm", "no impact reported"), ("recovery", "recovery"),
        ("context", "not an event report"))  # fmt: skip


def _evidence(
    asserted: Sequence[Trigger],
    triggers: Sequence[Trigger],
    by_kind: dict[str, list[Match]],
    event_type: str | None,
    reported: bool,
) -> tuple[tuple[Match, str], ...]:
    why = "event trigger" if reported else "trigger, outweighed"
    evidence = [(t.match, why) for t in asserted if t.event_type == event_type]
    evidence += [(t.cue, f"{t.status}: {t.event_type}") for t in triggers if t.cue is not None]
    for kind, reason in _WHY:
        evidence += [(c, reason) for c in by_kind.get(kind, ())]
    unique = {(m.start_char, m.end_char, why): (m, why) for m, why in evidence}
    return tuple(unique.values())
