"""Event triggers, negation, hedging and recovery cues, written once on lemmas.

A phrase is a space-separated list of lemmas; `~` allows up to three tokens in between
("ban ~ export" matches "bans palm oil exports") and `word/N` or `word/V` restricts the
part of speech (noun or verb), so "fired 200 workers" is no fire. The same phrases compile
to spaCy Matcher patterns (pipeline.py) and to one cheap surface regex that tells which
items cannot hold any cue at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

# Triggers by event type, as "type: phrase, phrase=weight, ...". Weight 1.0 (the default):
# the phrase names the event; lower: it usually does. Continuation lines are indented.
_TRIGGERS = """
strike: strike, striker, walkout, walk out, walk off, industrial action, work stoppage,
    stoppage=0.5, go-slow, go slow, work-to-rule, work to rule, picket, picket line, labour dispute,
    labor dispute, labor unrest, labour unrest, down tool, lockout, strike action, union action,
    hartal, bandh, general strike, warning strike, walk-out, stop-work, industrial dispute,
    work slowdown=0.8, sit-down, overtime ban, worker ~ protest, worker ~ blockade,
    union ~ protest, labour ~ protest, labor ~ protest, union ~ blockade, union ~ block/V,
    labour action, labor action
port_congestion: congestion, congest, backlog=0.8, bottleneck=0.7, berth delay, berthing delay,
    waiting time=0.8, wait time=0.8, vessel ~ wait=0.8, ship ~ wait=0.8, vessel ~ queue=0.9,
    ship ~ queue=0.9, queue=0.5, yard density=0.9, yard utilisation=0.9, yard utilization=0.9,
    port closure=0.6, terminal closure=0.6, port ~ close/V=0.6, terminal ~ close/V=0.6,
    container shortage=0.8, equipment shortage=0.7, chassis shortage=0.9, at anchor=0.6,
    anchorage=0.5, dwell time=0.8, gridlock, traffic jam=0.8, turn time=0.7, line-up=0.6,
    customs delay=0.6,
    berth waiting=0.9
route_blockage: blockage, block/V=0.7, blockade=0.9, run aground, aground, collision=0.8,
    collide=0.8, derail, derailment, canal ~ close/V, canal closure, strait ~ close/V,
    road closure=0.9, road ~ close/V=0.8, bridge collapse, bridge ~ collapse,
    border closure=0.9, border ~ close/V=0.9, reroute=0.7, re-route=0.7, divert=0.6,
    diversion=0.6, detour=0.6, closure=0.4, impassable=0.9, landslide=0.9, mudslide=0.9,
    rockfall=0.9, accident=0.5, close ~ to traffic, suspend ~ transit=0.9,
    suspend ~ traffic=0.9, halt ~ traffic=0.9, traffic ~ halt/V=0.9, capsize=0.8, sink/V=0.5,
    shipwreck=0.8, rail disruption=0.9, traffic ~ suspend/V=0.8, transit ~ suspend/V=0.9,
    engine failure=0.9, disabled vessel=0.9, convoy ~ delay=0.8, grounding=0.9,
    airport ~ close/V=0.8, airport closure=0.8, airspace closure=0.8, avalanche=0.8,
    protester ~ block/V=1.1, protester ~ blockade=1.1, demonstrator ~ block/V=1.1, road blockade,
    community ~ block/V=1.1, villager ~ block/V=1.1, resident ~ block/V=1.1, roadblock=0.9,
    protester ~ roadblock=1.1
earthquake: earthquake, quake, tremor=0.9, temblor, seismic=0.8, aftershock, tsunami=0.9,
    magnitude=0.6
flood: flood, flooding, floodwater, flash flood, inundate, inundation, deluge=0.9, overflow=0.6,
    monsoon=0.5, waterlog=0.8, submerge=0.8, high river level, river level=0.6
storm: storm=0.9, typhoon, hurricane, cyclone, tropical storm, tropical depression=0.9, tornado,
    gale=0.9, strong wind=0.9, high wind=0.9, wind=0.6, gust=0.7, wind-bound, windstorm,
    thunderstorm=0.8, hailstorm=0.9, storm surge, lightning strike=0.9, severe weather=0.6,
    squall=0.8, landfall=0.9, winter storm, snowstorm, blizzard, swell=0.8,
    high wave=0.8, rough sea=0.8, east coast low=0.9
drought: drought, dry spell, water shortage=0.9, low water=0.9, water level=0.6,
    water scarcity=0.9, rainfall deficit, low river=0.9, water restriction=0.8, dry weather=0.7,
    lack of rain=0.9, draft restriction=0.8
wildfire: wildfire, bushfire, bush fire, forest fire, brush fire, grass fire, wild fire,
    peat fire
volcano: volcano, volcanic, eruption, erupt, ash cloud, lava=0.9, ashfall, volcanic ash
extreme_weather: heatwave, heat wave, extreme heat, cold snap, cold wave, freeze=0.7, frost=0.8,
    extreme cold, heavy snow, snowfall=0.8, snow=0.6, fog=0.8, dense fog, hail=0.8,
    extreme weather, polar vortex, ice storm, freezing rain=0.9, sandstorm=0.9, dust storm=0.9,
    bad weather=0.8, adverse weather=0.8, high temperature=0.6, rain=0.6, weather=0.3,
    heavy rain=0.8, torrential rain=0.8, downpour=0.7
fire_explosion: fire/N=0.9, blaze, explosion, explode, blast/N=0.9, inferno, gut/V=0.6,
    catch fire, burn down, burn/V=0.6, smoke=0.4,
    detonation=0.9
export_restriction: export ban, ban ~ export, export restriction, restrict ~ export,
    export curb, curb ~ export, export quota=0.9, export licence=0.8, export license=0.8,
    export duty=0.8, export tax=0.8, export control=0.9, halt ~ export=0.5,
    suspend ~ export=0.6, stop ~ export=0.5, import restriction=0.6, tariff=0.5, quota=0.5,
    export halt=0.9, export suspension=0.9, export permit=0.7, cap ~ export=0.9,
    limit ~ export=0.9, suspend ~ import=0.6, tighten ~ export, export ~ tighten/V=0.9
sanctions: sanction, embargo=0.9, blacklist=0.8, entity list=0.9, asset freeze=0.9,
    restrictive measure=0.8, price cap=0.7, import ban=0.7, ban ~ import=0.7,
    withhold release order, forced labour=0.7, forced labor=0.7, security council=0.6
conflict: war=0.9, missile, air strike, airstrike, drone strike, drone attack, missile strike,
    bombing, bomb=0.9, shelling, invasion, invade, fighting=0.9, clash=0.9, unrest,
    civil unrest, riot, protest=0.7, protester=0.7, demonstration=0.6, demonstrator=0.7, coup,
    insurgent, militant=0.9, rebel=0.9, terrorist, armed group, hostility=0.8, conflict=0.8,
    curfew=0.9, martial law, military=0.5, attack=0.7, violence=0.8, looting=0.9,
    gunfire, gunman, gang=0.9, armed attack, terror=0.9, terrorism, sabotage=0.8
piracy_attack: piracy, pirate, hijack, hijacking, hijacker, armed robbery=0.8, robber=0.9,
    board ~ armed=0.8, seize ~ vessel=0.9, seize ~ ship=0.9, seize ~ tanker=0.9,
    vessel ~ seize/V=0.9, ship ~ seize/V=0.9, tanker ~ seize/V=0.9, kidnap ~ crew,
    attack ~ vessel=1.2, attack ~ ship=1.2, attack ~ tanker=1.2, houthi=0.9,
    attack ~ commercial=1.2, attack ~ shipping=1.2, attack ~ merchant=1.2, missile ~ ship=1.2,
    missile ~ vessel=1.2, missile ~ tanker=1.2, drone ~ ship=1.2, drone ~ vessel=1.2
cyberattack: cyberattack, cyber attack, cyber-attack, cyber incident, ransomware, hack/V=0.9,
    hacker, malware, cyber=0.8, data breach=0.8, ddos
power_outage: power outage, blackout, power cut, outage=0.5, load shedding, load-shedding,
    loadshedding, electricity shortage, power shortage, power rationing, electricity rationing,
    power failure, grid failure, brownout, power supply=0.5, without power, without electricity,
    rolling cut, ration ~ power=1.1, ration ~ electricity=1.1, power ~ ration/V=1.1,
    electricity ~ ration/V=1.1
pandemic_lockdown: lockdown, covid=0.9, covid-19=0.9, pandemic=0.8, epidemic=0.8, outbreak=0.7,
    quarantine=0.9, coronavirus=0.9, cholera=0.9, ebola=0.9, stay-at-home=0.9, infection=0.5,
    movement control=0.9, test positive=0.6, dengue=0.7, mpox=0.7, measles=0.6,
    disease outbreak=0.8
insolvency: bankruptcy, bankrupt, insolvency, insolvent, receivership, liquidation, chapter 11,
    chapter 7, creditor protection, administration=0.6, administrator=0.6, cease trading,
    go bust, wind up=0.6, debt default=0.8, rehabilitation=0.7, special administration
recall_contamination: recall, contamination, contaminate, salmonella, listeria, e. coli,
    aflatoxin, taint=0.9, adulterate=0.9, pesticide residue=0.9, defect=0.6, defective=0.7,
    toxic=0.5, food safety=0.6, spill=0.6, oil spill=0.8, pollution=0.5, trace=0.6, residue=0.8
other: swine fever, bird flu, avian influenza, avian flu, hpai, foot-and-mouth, animal disease,
    cull=0.7, force majeure=0.5, shortage=0.4, supply disruption=0.45, shutdown=0.4,
    shut down=0.4, collapse=0.45, halt ~ production=0.45, suspend ~ production=0.45,
    suspend ~ operation=0.4, halt ~ operation=0.4, plant closure=0.4, mine closure=0.4,
    production stoppage=0.45, disruption=0.3, disrupt=0.3, dam failure=0.9, tailings dam=0.9,
    breakdown=0.4, crane collapse=0.9, system outage=0.8, system failure=0.8, it outage=0.8,
    it failure=0.8, it problem=0.8, it system=0.6, computer system=0.6, downtime=0.7,
    glitch=0.7, fuel shortage=0.8, gas shortage=0.8, fuel rationing=0.8, gas leak=0.7,
    chemical leak=0.7, pipeline leak=0.8, leak=0.4, equipment failure=0.7,
    mechanical failure=0.7, overboard=0.8, cargo theft=0.7, vandalism=0.6
"""

# Cues that change what a trigger means. impact: supply, output or transport stopped;
# neg_*/hedge_*: negation or hedging just before or after a trigger; cause: "due to", "after"
# (the trigger that follows is the cause); calm: nothing was hit;
# context: markets, results, openings, deals, sport; figurative: "a flood of orders";
# wildland: land words that make a fire a wildfire.
_CUES = """
impact: halt, suspend, shut, shut down, shutdown, close/V, closure, disrupt, disruption, stop/V,
    cut/V, delay, strand, damage, destroy, evacuate, force majeure, idle, curtail, interrupt,
    paralyse, paralyze, cripple, affect, hit/V, impact, shortage, cancel, divert, reduce, lose,
    loss, kill, injure, collapse, block/V, ground/V, slash, outage, offline, knock out, severe,
    suspension, stoppage, stall, standstill, hold/V, stuck, miss, down
neg_before: no, not, never, without, avert, avoid, prevent, escape, call off, cancel, postpone,
    suspend, rule out, deny, end, unlikely, lift, remove, reject, vote against
neg_after: avert, call off, cancel, postpone, rule out, end, lift, deny, unlikely, suspend,
    unfounded, not go ahead, avoid, avert
hedge_before: could, can, may, might, would, threaten, warn, plan, consider, vote, possible,
    potential, risk, fear, if, prepare, brace, looming, propose, mull, weigh, prospect,
    forecast, predict, likely, possibility, unless, should, intend, call for, ahead of, drill,
    exercise, simulate, anniversary, ago, history, historic, since, last year, whether, discuss,
    expect, ballot, planned, planning, in preparation for, remember, commemorate, agree to,
    vote to, vote for
hedge_after: threat, risk, watch, fear, loom, possible, forecast, drill, exercise,
    simulation, anniversary, ago, preparedness, insurance, ballot, vote, season, law,
    legislation, code, planning, outlook, advisory, talk, deadline, plan, prevention, defence,
    defense, protection, resilience, mitigation, funding, museum, exhibition
cause: due to, because of, caused by, after, following, amid, as a result of, owing to,
    trigger by, hit by, in the wake of
recovery: reopen, re-open, resume, resumption, restore, restoration, lift ~ ban,
    lift ~ restriction, lift ~ sanction, lift ~ embargo, ease ~ restriction, end ~ strike,
    strike ~ end, return to work, back to work, back to normal, refloat, reconnect,
    clear ~ backlog, restart, return to normal, normalise, normalize, recover, recovery,
    lift ~ lockdown, end ~ lockdown, restriction ~ ease, back online, back in operation,
    strike ~ be over, blockade ~ lift/V, halt ~ strike, permit ~ export, allow ~ export,
    lift ~ blockade, be lift/V
calm: no damage, no report of damage, no immediate report, no major damage,
    no significant damage, no disruption, no impact, not affect, unaffected, operate normally,
    normal operation, operation normal, work normally, working normally, no tsunami,
    no casualty, no threat, business as usual, no injury or damage, not expect to cause,
    this be a test, no tropical cyclone, no attack, no decision, no delay, no weather delay,
    no interruption, no action, in line with seasonal norm, no weather interruption
context: earnings, quarterly, profit, revenue, dividend, share price, stock, futures, price,
    investor, analyst, outlook, open ~ new, inaugurate, groundbreaking, trade deal,
    trade agreement, sign ~ agreement, sign ~ deal, launch, unveil, partnership, acquisition,
    acquire, merger, award, appoint, ceo, interview, opinion, review, conference, expand,
    expansion, invest, investment, record high, rally, forecast, match, league, goal,
    coach, club, tournament, championship, draw, album, singer, film, movie, chart, critic,
    advert, election, petition, study, model, scenario, quantify, think tank, this report,
    player, fan, song, celebrity, recipe, game, stocks, shares, book, museum, exhibition,
    memorial, documentary, preparedness, awareness, information statement, planning,
    new service, rate, freight index
figurative: be strike by, strike a deal, strike deal, strike an agreement, strike a balance,
    strike price,
    flood of, storm of, wave of, tsunami of, avalanche of, deluge of, firestorm of,
    hail of, explosion of, earthquake of, heat of
wildland: hectare, acre, forest, grove, field, plantation, vegetation, bush, woodland,
    grassland, national park, hillside, fire behavior, fire behaviour, containment, rural
"""


def _table(text: str) -> dict[str, dict[str, float]]:
    """Parse a lexicon table: `name: phrase, phrase=weight, ...`; indented lines continue it."""
    sections: dict[str, str] = {}
    name = ""
    for line in text.strip().splitlines():
        if line.startswith(" "):
            sections[name] += " " + line.strip()
        else:
            name, _, rest = line.partition(":")
            sections[name] = rest
    table: dict[str, dict[str, float]] = {}
    for name, body in sections.items():
        table[name] = {}
        for entry in filter(None, (e.strip() for e in body.split(","))):
            phrase, _, weight = entry.partition("=")
            table[name][phrase.strip()] = float(weight) if weight else 1.0
    return table


TRIGGERS = _table(_TRIGGERS)
CUES = {kind: tuple(phrases) for kind, phrases in _table(_CUES).items()}

# Irregular surface forms the cheap regex must also see.
IRREGULAR = {"strike": ("struck",), "freeze": ("froze", "frozen"), "lose": ("lost",),
             "sink": ("sank", "sunk"), "burn": ("burnt",), "seize": ("seized",),
             "rise": ("rose",), "go": ("went", "gone"), "break": ("broke",)}  # fmt: skip


@dataclass(frozen=True)
class Phrase:
    """One lexicon entry: its lemmas, optional part-of-speech tags and gap markers."""

    key: str
    words: tuple[str, ...]
    pos: tuple[str | None, ...]
    gaps: tuple[bool, ...]  # gaps[i]: up to three tokens may come before words[i]


def parse_phrase(key: str) -> Phrase:
    """Split a lexicon phrase into lemmas, part-of-speech tags and gaps."""
    words: list[str] = []
    pos: list[str | None] = []
    gaps: list[bool] = []
    gap = False
    for part in key.split():
        if part == "~":
            gap = True
            continue
        word, _, tag = part.partition("/")
        words.append(word)
        pos.append(tag or None)
        gaps.append(gap)
        gap = False
    return Phrase(key, tuple(words), tuple(pos), tuple(gaps))


def all_phrases() -> Iterable[tuple[str, str, float]]:
    """Yield (label, phrase, weight): event triggers, then cues (weight 1.0)."""
    for event_type, phrases in TRIGGERS.items():
        for key, weight in phrases.items():
            yield f"trigger:{event_type}", key, weight
    for cue, keys in CUES.items():
        for key in keys:
            yield f"cue:{cue}", key, 1.0


def vocabulary() -> set[str]:
    """Return every lemma the lexicon mentions."""
    return {w for _, key, _ in all_phrases() for w in parse_phrase(key).words}


def _stem(word: str) -> str:
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


class SurfaceFilter:
    """A cheap test on lower-case text: could any phrase of the given labels match here?

    It is a superset of the Matcher. One compiled regex finds each phrase's longest word (as a
    prefix stem when long, as a whole word with an inflection when short, so "war" does not
    fire on "warn"); a phrase of several words must then match as a whole, words as stems in
    order, so "attack ~ shipping" does not let every shipping story through.
    """

    def __init__(self, labels: Iterable[str] = ("trigger:", "cue:recovery")) -> None:
        prefixes = tuple(labels)
        self.phrases: dict[str, list[re.Pattern[str] | None]] = {}
        longs: set[str] = set()
        shorts: set[str] = set()
        for label, key, _ in all_phrases():
            if not label.startswith(prefixes):
                continue
            phrase = parse_phrase(key)
            head = max(phrase.words, key=len)
            whole = _phrase_regex(phrase) if len(phrase.words) > 1 else None
            for form in (_stem(head), *IRREGULAR.get(head, ())):
                (longs if len(head) > 4 or form != head else shorts).add(form)
                self.phrases.setdefault(form, []).append(whole)
        alt_long = "|".join(map(re.escape, sorted(longs, key=len, reverse=True)))
        alt_short = "|".join(map(re.escape, sorted(shorts, key=len, reverse=True)))
        self.regex = re.compile(rf"(?<![a-z])(?:({alt_long})|({alt_short}){_SUFFIX})")

    def __call__(self, lower: str) -> bool:
        """Return True when some phrase may match the lower-case text."""
        for found in self.regex.finditer(lower):
            for whole in self.phrases[found.group(1) or found.group(2)]:
                if whole is None or whole.search(lower):
                    return True
        return False


_SUFFIX = r"(?:[a-z]?(?:s|es|ed|d|ing|y))?(?![a-z])"


def _phrase_regex(phrase: Phrase) -> re.Pattern[str]:
    parts = []
    for i, word in enumerate(phrase.words):
        forms = "|".join(re.escape(f) for f in (_stem(word), *IRREGULAR.get(word, ())))
        if i:
            parts.append(r"(?:[\W]+[^\W]+){0,3}[\W]+" if phrase.gaps[i] else r"[\W]*")
        parts.append(rf"(?:{forms})[a-z]*")
    return re.compile(r"(?<![a-z])" + "".join(parts))


@dataclass(frozen=True)
class Match:
    """A lexicon phrase found in a doc: token span, character span, sentence."""

    label: str  # "trigger:<event type>" or "cue:<kind>"
    key: str
    weight: float
    start: int  # token offsets
    end: int
    start_char: int
    end_char: int
    text: str
    sent: int  # index of the sentence's first token


@dataclass(frozen=True)
class Trigger:
    """An event trigger and what its neighbourhood says about it."""

    match: Match
    event_type: str
    status: str  # asserted, negated, hedged, ended
    cue: Match | None  # the negation or hedge that changed the status


# How far (in tokens, same sentence) a cue reaches: short words only touch their neighbour.
_REACH = {"neg_before": 4, "neg_after": 3, "hedge_before": 6, "hedge_after": 2}
_SHORT = {"no", "not", "never", "without", "if"}
_ENDING = {"end", "lift", "remove", "suspend"}  # "ends lockdown", "ban lifted": it is over
# Decisions people take and reverse; a typhoon is not "suspended", operations are.
ACTIONS = {"strike", "export_restriction", "sanctions", "pandemic_lockdown", "power_outage"}
_ACTION_VERBS = {"suspend", "cancel", "postpone", "lift", "remove", "end"}


def _near(trigger: Match, cue: Match, kind: str, causes: list[Match]) -> bool:
    if cue.sent != trigger.sent:
        return False
    reach = 2 if cue.key in _SHORT else _REACH[kind]
    gap = (cue.end, trigger.start) if kind.endswith("before") else (trigger.end, cue.start)
    if cue.key in _ACTION_VERBS and kind == "neg_after":
        reach = 1  # "strike (was) suspended", not "lockdown, factories suspended"
    if not 0 <= gap[1] - gap[0] <= reach:
        return False
    # "suspended due to high winds": a cause in between means the cue is about the effect.
    return not any(gap[0] <= c.start < gap[1] for c in causes)


def resolve(matches: Iterable[Match]) -> list[Trigger]:
    """Mark each trigger asserted, negated ("strike averted"), hedged ("could strike") or
    ended ("strike ends", "ban lifted")."""
    matches = list(matches)
    cues = [m for m in matches if m.label.startswith("cue:")]
    causes = [c for c in cues if c.label == "cue:cause"]
    out = []
    for m in matches:
        if not m.label.startswith("trigger:"):
            continue
        event_type = m.label.removeprefix("trigger:")
        status, by = "asserted", None
        figure = next(
            (c for c in cues if c.label == "cue:figurative" and c.start <= m.start < c.end), None
        )
        if figure is not None:
            out.append(Trigger(m, event_type, "negated", figure))
            continue
        for kind, verdict in (("neg_before", "negated"), ("neg_after", "negated"),
                              ("hedge_before", "hedged"), ("hedge_after", "hedged")):  # fmt: skip
            hit = next(
                (
                    c for c in cues
                    if c.label == f"cue:{kind}" and _near(m, c, kind, causes)
                    and (c.key not in _ACTION_VERBS or event_type in ACTIONS)
                ),
                None,
            )  # fmt: skip
            if hit is not None:
                status, by = ("ended" if hit.key in _ENDING else verdict), hit
                break
        out.append(Trigger(m, event_type, status, by))
    return out
