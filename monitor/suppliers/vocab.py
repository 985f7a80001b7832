"""Normalise the free-form values a supplier file carries: countries, sizes, certifications."""

from __future__ import annotations

import re

import pycountry

from monitor.vocab import canonical_material

SIZE_CLASSES = ("micro", "small", "medium")

# Canonical spellings; the key is the lower-case name with everything but letters/digits removed.
CERTIFICATIONS = {
    "organic": "organic",
    "euorganic": "organic",
    "usdaorganic": "organic",
    "fairtrade": "fair trade",
    "fairtradecertified": "fair trade",
    "fsc": "FSC",
    "pefc": "PEFC",
    "iso9001": "ISO 9001",
    "iso14001": "ISO 14001",
    "iso45001": "ISO 45001",
    "rainforestalliance": "Rainforest Alliance",
    "utz": "UTZ",
    "gots": "GOTS",
    "oekotex": "OEKO-TEX",
    "sa8000": "SA8000",
    "bsci": "amfori BSCI",
    "amforibsci": "amfori BSCI",
    "globalgap": "GLOBALG.A.P.",
    "msc": "MSC",
    "halal": "halal",
    "kosher": "kosher",
    "rspo": "RSPO",
    "bcorp": "B Corp",
    "fairforlife": "Fair for Life",
}


def cert_key(name: str) -> str:
    """Return the comparison key of a certification name (`Fair-Trade` → `fairtrade`)."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


def canonical_certification(name: str) -> str:
    """Return the canonical spelling of a certification, or the stripped input if unknown."""
    return CERTIFICATIONS.get(cert_key(name), name.strip())


# Everyday names that pycountry's official and common names do not cover.
COUNTRY_ALIASES = {
    "ivory coast": "CI",
    "turkey": "TR",
    "russia": "RU",
    "uk": "GB",
    "great britain": "GB",
    "dr congo": "CD",
    "democratic republic of the congo": "CD",
    "congo-kinshasa": "CD",
    "burma": "MM",
    "macedonia": "MK",
    "swaziland": "SZ",
    "cape verde": "CV",
    "kosovo": "XK",
}


def country_code(value: str) -> str:
    """Return the ISO 3166-1 alpha-2 code for a code or a name; raise ValueError if none."""
    text = value.strip()
    if not text:
        raise ValueError("country is empty")
    if text.lower() in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[text.lower()]
    try:
        found = pycountry.countries.lookup(text)
    except LookupError:
        raise ValueError(f"unknown country {value!r} (use ISO 3166-1 alpha-2, e.g. GH)") from None
    return str(found.alpha_2)


def material_name(value: str) -> str:
    """Return the canonical material for a name, synonym or HS heading; raise ValueError."""
    found = canonical_material(value)
    if found is None:
        raise ValueError(f"unknown material {value!r} (not in the materials lexicon)")
    return found.name


def split_list(value: object) -> list[str]:
    """Split `a; b | c` (or take a list) into stripped, non-empty strings."""
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v).strip() for v in value if str(v).strip()]
    return [p.strip() for p in re.split(r"[;|]", str(value)) if p.strip()]
