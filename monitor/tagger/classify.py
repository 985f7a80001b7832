"""Decide whether an item reports a disruption, which event, and how sure we are.

A disruption is a concrete event that stops or cuts supply, production or transport somewhere.
Earnings, price commentary, openings, trade deals and launches are not, nor are threats,
forecasts and events called off; an item about a disruption ending is a recovery.

`decide` adds up evidence into one score, step by step (each step below is one function), and
compares it with a threshold; every number it uses is a named field of `Weights`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from monitor.tagger.events import Match, Trigger, cue_negated, status_of
from monitor.tagger.impacts import Impact
from monitor.tagger.lexicon import lexicon
from monitor.vocab import EVENT_TYPES


@dataclass(frozen=True)
class Weights:
    """The numbers `decide` weighs evidence with (a trigger's own weight is in triggers.csv)."""

    threshold: float = 0.75  # a score at or above it reports a disruption
    title_bonus: float = 1.5  # a trigger in the title counts this many times its weight
    cause_boost: float = 1.6  # a trigger right after "due to", "after", "caused by" is the cause
    cause_reach: int = 6  # tokens after a cause cue within which a trigger is that cause
    repeat_share: float = 0.3  # each further trigger of a type adds this share of its weight
    score_cap: float = 1.5  # the strongest type counts at most this much
    impact_bonus: float = 0.3  # an impact cue ("halted", "closed") backs asserted triggers
    names_event: float = 1.0  # a trigger weighing this much names its event ("blackout")
    names_cause: float = 0.8  # ...and this much right after a cause cue ("due to poor weather")
    weak: float = 0.8  # when every trigger weighs less and no impact cue backs them...
    weak_penalty: float = 0.3  # ...the score drops by this ("good rains boost output")
    context_penalty: float = 0.3  # per market, results or genre cue (see context_in_title)
    context_in_title: int = 2  # a context cue in the title counts as this many
    context_cap: int = 4  # at most this many context cues count
    hedged_title: float = 0.5  # a headline that only hedges ("threatens", "may")
    calm_loud: float = 0.8  # "no damage" in the title, or with no impact cue against it
    calm_quiet: float = 0.3  # "operating normally" against a reported stoppage
    recovery_margin: float = 0.3  # a recovery headline keeps the score this far below threshold
    recovery_penalty: float = 0.3  # a recovery in the body lowers the score by this
    hint_margin: float = 0.6  # a hazard feed's verdict sits this far from the threshold
    min_magnitude: float = 4.0  # smaller quakes are rarely felt, let alone damaging
    confidence_floor: float = 0.55  # confidence at the threshold...
    confidence_slope: float = 0.4  # ...plus this per unit of distance from it...
    confidence_cap: float = 0.98  # ...up to this
    confidence_unweighed: float = 0.95  # no trigger and no cue: surely not a disruption
    impact_only: float = 0.8  # an impact phrase weighs this much when no trigger is asserted


WEIGHTS = Weights()
NEAR_KINDS = ("neg_before", "neg_after", "hedge_before", "hedge_after")
# Effects weigh less than causes: "typhoon closes port" is a storm, not port congestion.
EFFECTS = {"port_congestion": 0.75, "route_blockage": 0.8, "power_outage": 0.9}
# The event an impact reports when no trigger names one ("blank sailings", "river closed").
IMPACT_EVENTS = {"port_congestion": "port_congestion", "route_blockage": "route_blockage",
                 "power_outage": "power_outage", "export_halt": "export_restriction"}  # fmt: skip
# Weather words for water that floods: rain and melting snow beside a flood are the flood.
WATER = ("rain", "snow")
# Storm systems that bring their floods with them: a flood beside a cyclone is the cyclone's.
STORM_SYSTEMS = frozenset({"cyclone", "hurricane", "typhoon", "tropical storm"})
# Tokens between an impact and a recovery word within which the impact is what recovers.
SUBJECT_GAP = 2
# Conflict words that only say people protest: a protest that stops transport is the blockage.
PROTESTS = frozenset({"protest", "protester", "demonstration", "demonstrator"})
# A type that a cue, or an asserted trigger of the finer type, refines: a fire among fields and
# forests is a wildfire, and so is "fire" in a headline over a body that says "bushfire".
REFINE = {"fire_explosion": ("wildland", "wildfire")}


@dataclass(frozen=True)
class Verdict:
    """What the classifier decided, with the matches that decided it."""

    is_disruption: bool
    recovery: bool
    event_type: str | None
    confidence: float
    evidence: tuple[tuple[Match, str], ...]  # (match, why), once per span and reason


@dataclass(frozen=True)
class Recovery:
    """What an item says ended: the triggers and cues that say so, and whether it is the news."""

    reported: bool  # the item is about something ending (in the title, or nothing else asserted)
    in_title: bool
    ended: list[Trigger]
    cues: list[Match]


def _in_title(m: Match, title_len: int) -> bool:
    return m.start_char < title_len


def _caused(m: Match, causes: Sequence[Match]) -> bool:
    reach = WEIGHTS.cause_reach
    return any(c.sent == m.sent and 0 <= m.start - c.end <= reach for c in causes)


def type_scores(
    triggers: Sequence[Trigger], title_len: int, causes: Sequence[Match] = ()
) -> dict[str, float]:
    """Score each event type: its strongest trigger plus a little for every other mention."""
    weights: dict[str, list[float]] = {}
    for t in triggers:
        weight = t.match.weight * EFFECTS.get(t.event_type, 1.0)
        weight *= WEIGHTS.title_bonus if _in_title(t.match, title_len) else 1.0
        weight *= WEIGHTS.cause_boost if _caused(t.match, causes) else 1.0
        weights.setdefault(t.event_type, []).append(weight)
    share = WEIGHTS.repeat_share
    return {k: max(w) + share * (sum(w) - max(w)) for k, w in weights.items()}


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
    impacts: Sequence[Impact] = (),
    asked_from: int | None = None,
    lead_end: int | None = None,
) -> Verdict:
    """Weigh triggers and cues (and the feed's hints) into a verdict; `asked_from` is where a
    headline's closing question starts ("Port strike to knock exports?"), if it has one, and
    `lead_end` where the body's first sentence ends."""
    by_kind = _cues_by_kind(cues)
    triggers = _asked(_negated_by_title(triggers, title_len), asked_from, title_len)
    asserted = [t for t in triggers if t.status == "asserted"]
    if not asserted:
        asserted = _impacts_as_triggers(impacts, triggers)
        triggers = [*triggers, *asserted]
    scores = type_scores(asserted, title_len, by_kind.get("cause", ()))
    impact = bool(by_kind.get("impact")) and bool(asserted)
    score = _reported(scores, impact)
    score -= _weak_penalty(asserted, impact)
    title_impact = any(_in_title(c, title_len) for c in by_kind.get("impact", ()))
    score -= _context_penalty(asserted, by_kind.get("context", ()), title_len, title_impact)
    score -= _hedged_title_penalty(asserted, by_kind, title_len)
    score -= _calm_penalty(by_kind.get("calm", ()), impact, title_len)
    recovery = _recovery(triggers, asserted, by_kind, title_len, lead_end or title_len)
    score = _after_recovery(score, recovery)
    hint = event_hint if event_hint in EVENT_TYPES else None
    if hint is not None:
        is_disruption = _hit_by_hazard(by_kind, title_len, has_country, magnitude, recovery)
        margin = WEIGHTS.hint_margin
        score = WEIGHTS.threshold + margin if is_disruption else WEIGHTS.threshold - margin
    else:
        is_disruption = score >= WEIGHTS.threshold
    vessels = {m.sent for m in by_kind.get("vessel", ())}
    found = _event_found(hint, scores, asserted, triggers, recovery, is_disruption, title_len,
                         by_kind.get("cause", ()))  # fmt: skip
    found = _attack_type(found, asserted, vessels) if hint is None else found
    reported = is_disruption or recovery.reported
    event_type = _refined(found if reported else None, by_kind, asserted)
    confidence = _confidence(score) if triggers or cues else WEIGHTS.confidence_unweighed
    evidence = _evidence(asserted, triggers, by_kind, found, reported)
    return Verdict(is_disruption, recovery.reported, event_type, confidence, evidence)


def _asked(triggers: list[Trigger], asked_from: int | None, title_len: int) -> list[Trigger]:
    """Hedge the triggers of a headline's question: "Hackers to target supply chain?" asks."""
    if asked_from is None:
        return triggers
    return [
        Trigger(t.match, t.event_type, "hedged", None)
        if t.status == "asserted" and asked_from <= t.match.start_char < title_len
        else t
        for t in triggers
    ]


def _impacts_as_triggers(impacts: Sequence[Impact], triggers: Sequence[Trigger]) -> list[Trigger]:
    """Read impacts as weak triggers: "Carriers blank 40 sailings" reports a disruption; not
    one inside a trigger that is not asserted ("Port strike to knock exports?")."""
    spans = [(t.match.start, t.match.end) for t in triggers]
    return [
        Trigger(replace(i.match, weight=WEIGHTS.impact_only), event, "asserted", None)
        for i in impacts
        if not any(a < i.match.end and i.match.start < b for a, b in spans)
        for event in [IMPACT_EVENTS.get(i.type, "other")]
    ]


def _cues_by_kind(cues: Sequence[Match]) -> dict[str, list[Match]]:
    """Group cues by kind: "impact", "calm", "context", "recovery"..."""
    by_kind: dict[str, list[Match]] = {}
    for c in cues:
        by_kind.setdefault(c.label.removeprefix("cue:"), []).append(c)
    return by_kind


def _reported(scores: dict[str, float], impact: bool) -> float:
    """Start from the strongest event type (capped), plus a bonus when an impact cue backs it."""
    strongest = min(max(scores.values(), default=0.0), WEIGHTS.score_cap)
    return strongest + (WEIGHTS.impact_bonus if impact else 0.0)


def _weak_penalty(asserted: Sequence[Trigger], impact: bool) -> float:
    """Weigh down weak words alone: "good rains boost output" reports nothing."""
    if impact or not asserted or max(t.match.weight for t in asserted) >= WEIGHTS.weak:
        return 0.0
    return WEIGHTS.weak_penalty


def _context_penalty(
    asserted: Sequence[Trigger], context: Sequence[Match], title_len: int, title_impact: bool
) -> float:
    """Weigh down market, results or genre talk in the title or beside a trigger; a title that
    also says supply stopped ("Oil rises as Libya shuts output") counts its cue once."""
    # A price remark three sentences away does not undo a reported closure; a genre cue
    # (sport, culture, politics) marks the whole item wherever it stands.
    genre = lexicon().flags["genre"]
    sentences = {t.match.sent for t in asserted}
    count = sum(
        WEIGHTS.context_in_title if _in_title(c, title_len) and not title_impact else 1
        for c in context
        if _in_title(c, title_len) or c.sent in sentences or c.key in genre
    )
    return WEIGHTS.context_penalty * min(count, WEIGHTS.context_cap)


def _hedged_title_penalty(
    asserted: Sequence[Trigger], by_kind: dict[str, list[Match]], title_len: int
) -> float:
    """Weigh down a headline that only hedges: "El Niño threatens cocoa crop" is a risk."""
    risk = lexicon().flags["risk"]
    hedges = by_kind.get("hedge_before", []) + by_kind.get("hedge_after", [])
    if any(_in_title(t.match, title_len) for t in asserted):
        return 0.0
    if any(_in_title(c, title_len) and c.key in risk for c in hedges):
        return WEIGHTS.hedged_title
    return 0.0


def _calm_penalty(calm: Sequence[Match], impact: bool, title_len: int) -> float:
    """Weigh down a report that nothing was hit, less so against a reported stoppage."""
    if not calm:
        return 0.0
    loud = any(_in_title(c, title_len) for c in calm) or not impact
    return WEIGHTS.calm_loud if loud else WEIGHTS.calm_quiet


def _recovery(
    triggers: Sequence[Trigger],
    asserted: Sequence[Trigger],
    by_kind: dict[str, list[Match]],
    title_len: int,
    lead_end: int,
) -> Recovery:
    """Find what the item says ended: recovery cues and triggers marked ended; the headline or
    the lead's first sentence saying so makes it the news ("Power has been largely restored")."""
    ended = [t for t in triggers if t.status == "ended"]
    cues = by_kind.get("recovery", []) + [t.cue for t in ended if t.cue is not None]
    negations = by_kind.get("neg_before", [])
    cues = [c for c in cues if not cue_negated(c, negations)]  # "not yet reopened"
    in_title = any(_in_title(c, title_len) for c in cues)
    in_lead = any(
        title_len <= c.start_char < lead_end and _lead_recovery(c, asserted, by_kind) for c in cues
    )
    headline = in_title or in_lead
    if in_title and _lingering(cues, by_kind, title_len):
        return Recovery(False, False, ended, cues)
    return Recovery(bool(cues) and (headline or not asserted), headline, ended, cues)


def _lingering(cues: Sequence[Match], by_kind: dict[str, list[Match]], title_len: int) -> bool:
    """Say whether a headline reports harm still felt before it says what reopened ("Typhoon
    leaves vessel delays as ports reopen"): a partial recovery is still a disruption. An
    impact named as the cause ("reopens after strike halted work"), or just before the recovery
    as what recovers ("cargo delays ease"), does not count."""
    first = min(c.start for c in cues if _in_title(c, title_len))
    causes = by_kind.get("cause", [])
    negations = by_kind.get("neg_before", [])
    return any(
        _in_title(i, title_len) and i.end + SUBJECT_GAP < first and not _caused(i, causes)
        and not cue_negated(i, negations)
        for i in by_kind.get("impact", ())
    )  # fmt: skip


def _lead_recovery(
    cue: Match, asserted: Sequence[Trigger], by_kind: dict[str, list[Match]]
) -> bool:
    """Say whether a recovery in the lead is the news: not hedged ("expected to resume"), and
    no new event reported after it in its sentence ("operations resume; IT outages hit
    trucking"; but "restored after a blackout" names what ended, and so does all that follows
    its cause cue: "reopened following the collapse of the bridge, which blocked traffic")."""
    causes = by_kind.get("cause", [])
    told = [c for c in causes if c.sent == cue.sent and c.start > cue.start]  # what ended
    if any(
        t.match.sent == cue.sent and t.match.start > cue.start and not _caused(t.match, causes)
        and not any(c.start < t.match.start for c in told)
        for t in asserted
    ):  # fmt: skip
        return False
    hedges = [m for kind in NEAR_KINDS for m in by_kind.get(kind, ())]
    return status_of(cue, "", hedges, causes)[0] == "asserted"


def _after_recovery(score: float, recovery: Recovery) -> float:
    """Lower the score of a report that something is over: it is not a new disruption."""
    if not recovery.reported:
        return score
    if recovery.in_title:
        return min(score, WEIGHTS.threshold - WEIGHTS.recovery_margin)
    return score - WEIGHTS.recovery_penalty


def _hit_by_hazard(
    by_kind: dict[str, list[Match]],
    title_len: int,
    has_country: bool,
    magnitude: float | None,
    recovery: Recovery,
) -> bool:
    """Say whether a hazard feed's event hits supply: felt, on land, not a watch, not over."""
    not_yet = lexicon().flags["not_yet"]
    watch = any(
        _in_title(c, title_len) and c.key in not_yet for c in by_kind.get("hedge_after", ())
    )
    weak = magnitude is not None and magnitude < WEIGHTS.min_magnitude
    calm = bool(by_kind.get("calm"))
    return has_country and not (weak or watch or calm or recovery.reported)


def _event_found(
    hint: str | None,
    scores: dict[str, float],
    asserted: Sequence[Trigger],
    triggers: Sequence[Trigger],
    recovery: Recovery,
    is_disruption: bool,
    title_len: int,
    causes: Sequence[Match] = (),
) -> str | None:
    """Name the event: the feed's hint, else the strongest type; a recovery names what ended."""
    found = _weather_type(hint or _cause_type(_best(scores, asserted), scores, asserted, causes),
                          scores, asserted)  # fmt: skip
    if recovery.reported and not is_disruption:
        ended = _recovered(recovery.ended, recovery.cues, triggers, title_len)
        found = hint or ended or found
    if is_disruption and found is None:
        found = "other"
    return found


def _cause_type(
    found: str | None,
    scores: dict[str, float],
    asserted: Sequence[Trigger],
    causes: Sequence[Match] = (),
) -> str | None:
    """Name the cause over its effect: "ports in gridlock" over a body that names the strike
    (a trigger that names its event, `Weights.names_event`), or "delays due to poor weather"
    (a trigger right after a cause cue), is the strike or the weather."""
    if found not in EFFECTS:
        return found
    named = {t.event_type for t in asserted
             if t.event_type not in EFFECTS and _names_event(t, causes)}  # fmt: skip
    return max(named, key=lambda k: scores[k], default=found)


def _names_event(t: Trigger, causes: Sequence[Match]) -> bool:
    """Say whether a trigger names its event, by its weight or by standing right after a cause
    cue ("delays due to poor weather")."""
    weight = t.match.weight
    return weight >= WEIGHTS.names_event or (
        weight >= WEIGHTS.names_cause and _caused(t.match, causes)
    )


def _weather_type(
    found: str | None, scores: dict[str, float], asserted: Sequence[Trigger]
) -> str | None:
    """Name weather by its cause: rain or snowmelt beside a flood is the flood, and a flood
    beside a cyclone, a hurricane or a typhoon is the storm ("rain from cyclone Debbie floods
    railways"); a plain "storm" that floods streets stays a flood."""
    if (
        found == "extreme_weather"
        and "flood" in scores
        and all(any(w in t.match.key for w in WATER) for t in asserted if t.event_type == found)
    ):
        found = "flood"  # rain or snowmelt alone stops work as weather
    if found == "flood" and any(t.match.key in STORM_SYSTEMS for t in asserted):
        found = "storm"
    return found


def _attack_type(found: str | None, asserted: Sequence[Trigger], vessels: set[int]) -> str | None:
    """Name an attack by what it hit: a missile or rebels striking a ship in the same sentence
    is `piracy_attack`; protests alone that stop transport are a `route_blockage`. `vessels`
    are the sentences (first token) that name a ship."""
    if found != "conflict":
        return found
    conflict = [t for t in asserted if t.event_type == "conflict"]
    if all(t.match.key in PROTESTS for t in conflict):
        return "route_blockage"
    return "piracy_attack" if any(t.match.sent in vessels for t in conflict) else found


def _refined(
    event_type: str | None, by_kind: dict[str, list[Match]], asserted: Sequence[Trigger]
) -> str | None:
    """Refine a type by its cues or by a finer trigger: a fire among fields and forests, or
    beside a "bushfire", is a wildfire."""
    if event_type not in REFINE:
        return event_type
    cue, finer = REFINE[event_type]
    if cue in by_kind or any(t.event_type == finer for t in asserted):
        return finer
    return event_type


def _confidence(score: float) -> float:
    """Turn the score's distance from the threshold into a confidence."""
    distance = abs(score - WEIGHTS.threshold)
    return round(
        min(WEIGHTS.confidence_cap, WEIGHTS.confidence_floor + WEIGHTS.confidence_slope * distance),
        2,
    )


def _negated_by_title(triggers: Sequence[Trigger], title_len: int) -> list[Trigger]:
    """Carry a headline's negation to the same event in the body."""
    # "Union calls off strike" ... "the walkout at the two platforms": the same strike, off.
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
    """Name what a recovery report says ended: an ended trigger, a cue, or the top trigger. A
    vague word ("force majeure lifted") gives way to a trigger that names its event ("after
    workers embarked on a strike")."""
    named = [t for t in triggers if t.match.weight >= WEIGHTS.names_event]
    if ended:
        found = _best(type_scores(ended, title_len), ended)
        if any(t.event_type == found for t in named) or not named:
            return found
        return _best(type_scores(named, title_len), named)
    recovered = lexicon().recovered
    implied = [recovered[c.key] for c in cues if c.key in recovered]
    if implied:
        return implied[0]
    pool = named or list(triggers)
    return _best(type_scores(pool, title_len), pool)


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
