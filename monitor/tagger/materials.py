"""Find the materials of the lexicon (monitor/data/materials.json) named in a text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.matcher import PhraseMatcher
from spacy.tokens import Span

from monitor.tagger.gazetteer import gazetteer, tokens
from monitor.tagger.place_context import Context
from monitor.vocab import Material, materials

TRADE = {"price", "prices", "supply", "supplies", "shortage", "shortages", "export", "exports",
         "import", "imports", "production", "output", "producer", "producers", "shipments",
         "market", "markets", "futures", "demand", "mine", "mines", "mining", "smelter",
         "smelters", "refinery", "mill", "mills", "plant", "plants", "factory", "factories",
         "industry", "stocks", "tonnes", "tons", "cargo", "cargoes", "deliveries"}  # fmt: skip
METALS = TRADE | {"ore", "concentrate", "concentrates", "lme", "metal", "metals", "zinc", "copper",
                  "nickel", "refined", "battery", "batteries", "steel", "pig", "scrap"}  # fmt: skip
# Common words that name a material only next to one of these words (just before or after).
NEEDS_CONTEXT: dict[str, set[str]] = {
    "lead": METALS, "tin": METALS, "iron": METALS,
    "gas": TRADE | {"pipeline", "pipelines", "field", "fields", "terminal", "terminals", "storage",
                    "reserves", "flows", "tanker", "tankers", "transit", "grid", "rationing",
                    "crisis", "contracts", "hub", "piped", "shale", "liquefied", "cooking",
                    "processing", "consumption", "condensate", "imported"},
    "chip": TRADE | {"maker", "makers", "fab", "fabs", "giant", "designer", "designers", "sector",
                     "manufacturing", "manufacturer", "manufacturers", "equipment", "firm",
                     "firms", "foundry", "crunch", "curbs", "controls", "memory", "ai",
                     "computer", "logic", "advanced", "packaging"},
    "equipment": {"industrial", "manufacturing", "mining", "farm", "agricultural", "construction",
                  "heavy", "semiconductor", "chipmaking", "telecom", "telecoms", "electrical",
                  "factory", "production", "capital"},
    "chemical": TRADE | {"plant", "plants", "industry", "complex", "complexes", "makers", "maker",
                         "producers", "park", "sector", "exports", "tanker", "tankers"},
    "car": TRADE | {"makers", "maker", "production", "plants", "assembly", "sales", "parts"},
    "toy": TRADE | {"maker", "makers", "manufacturers", "exporters"},
    "paper": TRADE | {"pulp", "packaging", "maker", "makers", "manufacturers", "products",
                      "machine", "recycled", "tissue", "kraft"},
    "fabric": TRADE | {"textile", "textiles", "cotton", "garment", "garments", "apparel", "dyeing"},
    "fabrics": TRADE | {"textile", "textiles", "cotton", "garment", "garments", "apparel"},
    "logs": TRADE | {"timber", "ban", "harvest", "raw", "hardwood", "softwood", "tropical"},
    "sand": TRADE | {"dredging", "extraction", "construction", "quarry", "quarries", "silica"},
    "glass": TRADE | {"maker", "makers", "manufacturers", "furnace", "furnaces", "bottle",
                      "bottles"},
    "concrete": TRADE | {"cement", "construction", "ready-mix"},
    "olive": TRADE | {"harvest", "crop", "crops", "growers", "groves", "trees", "farmers"},
    "cpo": TRADE | {"palm", "ringgit", "malaysian", "indonesian"},
    "apis": TRADE | {"pharmaceutical", "drug", "drugs", "ingredients", "manufacturers"},
    "api": TRADE | {"pharmaceutical", "drug", "manufacturing", "manufacturer", "unit", "maker"},
    "boxes": {"held", "stuck", "empty", "shipping", "handled", "laden", "reefer", "teu", "import",
              "export", "loaded", "discharged", "dwell"},
    "power": {"without", "restored", "outage", "outages", "rationing", "shortage", "shortages",
              "supply", "supplies", "grid", "failure", "failures", "lost", "cut", "cuts"},
    "wafers": TRADE | {"silicon", "chip", "chips", "semiconductor", "fab", "fabs", "inch", "mm"},
    "hides": TRADE | {"leather", "cattle", "tanneries", "tannery", "raw", "skins"},
    "trucks": TRADE | {"maker", "makers", "manufacturers", "sales", "assembly"},
    "flour": TRADE | {"wheat", "bread", "bakeries", "bakers", "milling", "millers"},
}  # fmt: skip
# Words that, just before or after, show a common word is not the material.
BLOCK_BEFORE: dict[str, set[str]] = {
    "oil": {"cooking", "vegetable", "edible", "essential", "olive", "palm", "soybean", "soy",
            "coconut", "sunflower", "fish", "motor", "engine", "lubricating", "hair", "baby",
            "castor", "linseed", "peanut", "sesame", "corn", "rapeseed", "canola", "snake",
            "tea", "body", "massage", "cbd", "hemp", "midnight"},
    "fuel": {"to", "could", "would", "will", "may", "might", "can", "further", "helped", "help",
             "also", "which", "that"},
    "chip": {"blue", "bargaining", "potato", "poker", "casino"},
    "chips": {"potato", "blue", "bargaining", "poker", "casino", "tortilla", "corn", "wood",
              "chocolate", "fish", "banana", "kale", "paint"},
    "gold": {"olympic", "won", "win", "wins"}, "silver": {"olympic", "won", "win", "wins"},
    "battery": {"assault"},
    "drugs": {"illegal", "illicit", "recreational", "street", "party"},
    "container": {"plastic", "food", "glass", "storage", "water", "takeaway", "garden"},
    "containers": {"plastic", "food", "glass", "storage", "water", "takeaway", "garden"},
    "blackout": {"media", "news", "communications", "internet", "information"},
    "blackouts": {"media", "news", "communications", "internet", "information"},
}  # fmt: skip
# Phrases where a material word only describes a vehicle or a facility: a "container ship" on
# fire exposes its cargo, not containers (see tests/data/README.md).
DESCRIPTIVE = {"container ship", "container ships", "container vessel", "container vessels"}
# Goods nearly every text touches (cars on a road, an electricity bill) count only in the title
# or beside a word of supply, trade or outage.
IN_PASSING = {"cars", "car", "trucks", "automobiles", "electricity", "natural gas", "gas",
              "power", "propane"}  # fmt: skip
EXPOSURE = TRADE | NEEDS_CONTEXT["gas"] | NEEDS_CONTEXT["power"] | {
    "sales", "assembly", "maker", "makers", "manufacturers", "generation", "grid", "plants",
    "exporter", "exporters", "dealers", "parts", "transport", "carriers", "station",
    "stations", "station's", "utility", "utilities", "blackout", "blackouts", "rationed",
    "shortfall", "lines", "flow", "field", "destroyed", "damaged", "stranded", "burned",
    "terminal", "terminals", "recall", "recalled"}  # fmt: skip
BLOCK_AFTER: dict[str, set[str]] = {
    "container": {"ship", "ships", "vessel", "vessels", "port", "ports", "line", "lines",
                  "carrier", "carriers", "feeder", "hub", "shipping"},
    "oil": {"painting", "paintings", "paint", "paints", "lamp", "change", "spill", "spills",
            "slick"},
    "grain": {"of", "size"}, "grains": {"of"},
    "blackout": {"period", "dates"},
    "fuel": {"fears", "concerns", "speculation", "tensions", "inflation", "anger", "unrest",
             "growth", "protests", "debate", "rally", "gains", "losses"},
    "chips": {"in", "away", "down", "and"}, "crude": {"remarks", "joke", "jokes", "language",
    "attempt", "bomb", "device", "weapon", "weapons", "drawing", "humour", "humor"},
    "gold": {"medal", "medals", "medallist", "medalist", "standard", "coast", "card", "status",
             "member", "members", "cup", "winner", "rush"},
    "silver": {"medal", "medals", "medallist", "medalist", "lining", "screen", "jubilee",
               "bullet", "spoon"},
    "tea": {"party"}, "coffee": {"shop", "shops", "break", "table", "house", "chain"},
    "rubber": {"bullets", "bullet", "stamp", "boats", "boat", "dinghy", "dinghies", "duck"},
    "neon": {"lights", "light", "sign", "signs", "lit"}, "silicon": {"valley"},
    "pepper": {"spray"}, "cobalt": {"blue"}, "platinum": {"album", "card", "status", "jubilee"},
    "battery": {"of"}, "drugs": {"trafficking", "smuggling", "cartel", "cartels", "seized",
    "seizure", "dealers", "war", "addicts", "overdose", "bust"},
}  # fmt: skip
METAL_NAMES = {"copper", "zinc", "nickel", "aluminium", "aluminum", "cobalt", "lead", "tin",
               "iron", "steel", "gold", "silver", "lithium", "manganese", "tungsten"}  # fmt: skip
# Names written with capitals in ordinary text, so a capital says nothing about them.
CAPITALISED = {
    "brent",
    "wti",
    "lng",
    "lpg",
    "cpo",
    "pvc",
    "apis",
    "api",
    "teu",
    "teus",
    "pcbs",
    "dram",
    "nand",
}


@dataclass(frozen=True)
class MaterialHit:
    """A material named in a text: canonical name, HS heading and character offsets."""

    name: str
    hs: str | None
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _matcher() -> tuple[PhraseMatcher, dict[str, Material]]:
    nlp = gazetteer().nlp
    matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
    by_key: dict[str, Material] = {}
    for material in materials().values():
        for name in (material.name, *material.synonyms):
            by_key.setdefault(name.lower(), material)
    for key in by_key:
        matcher.add(key, [nlp.make_doc(key)])
    return matcher, by_key


def find_materials(text: str) -> list[MaterialHit]:
    """Return the materials named in text, in order (one hit per mention)."""
    if not isinstance(text, str):
        raise TypeError(f"find_materials() needs a str, not {type(text).__name__}")
    matcher, by_key = _matcher()
    doc = tokens(text)
    ctx = Context(text, doc, (), gazetteer())
    taken: set[int] = set()
    hits: list[MaterialHit] = []
    matches = [(doc.vocab.strings[m], s, e) for m, s, e in matcher(doc)]
    for key, start, end in sorted(matches, key=lambda m: (m[1] - m[2], m[1])):
        if not taken.isdisjoint(range(start, end)):
            continue
        span = doc[start:end]
        if not _is_material(ctx, key, span):
            continue
        taken.update(range(start, end))
        material = by_key[key]
        hits.append(MaterialHit(material.name, material.hs, span.start_char, span.end_char,
                                span.text))  # fmt: skip
    return sorted(hits, key=lambda h: h.start)


def _is_material(ctx: Context, key: str, span: Span) -> bool:
    """Say whether a matched name stands for the material here, not a common word or a name."""
    doc = span.doc
    before = [t.lower_ for t in doc[max(0, span.start - 2) : span.start] if not t.is_space]
    after = [t.lower_ for t in doc[span.end : span.end + 2] if not t.is_space]
    near_before, near_after = before[-1:], after[:1]
    if key in NEEDS_CONTEXT and not set(near_before + near_after) & NEEDS_CONTEXT[key]:
        around = {t.lower_ for t in doc[max(0, span.start - 2) : span.end + 2]} - {key}
        if key not in METAL_NAMES or not around & METAL_NAMES:  # "copper, lead and zinc"
            return False
    if key in DESCRIPTIVE:
        return False
    if key in IN_PASSING and "\n" in ctx.text[: span.start_char]:  # not in the title
        around = {t.lower_ for t in doc[max(0, span.start - 2) : span.end + 2]}
        if not around & EXPOSURE:
            return False
    if set(near_before) & BLOCK_BEFORE.get(key, set()):
        return False
    if set(near_after) & BLOCK_AFTER.get(key, set()):
        return False
    # "Rice University", "Silk Road", "Tin Can Island": a capitalised word mid-sentence is a name.
    text = span.text
    if text[:1].isupper() and not text.isupper() and key not in CAPITALISED:
        if ctx.named_thing_follows(span):
            return False  # "Rice University said", "Iron Dome"
        return ctx.sentence_start(span) or ctx.headline(span)
    if text.isupper() and len(text) <= 4 and key not in CAPITALISED:
        return ctx.headline(span)  # "OIL EXPORTS HALTED", but "your TIN number" is an acronym
    return True
