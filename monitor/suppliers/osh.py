"""Map an Open Supply Hub facility export row onto the project's supplier columns."""

from __future__ import annotations

import re
from typing import Any

from monitor.vocab import canonical_material

# Columns that only an Open Supply Hub export has; any one of them identifies the format.
MARKERS = {"os_id", "lng", "number_of_workers", "processing_type", "product_type", "sector"}

# Sector and product words that name a material without being one of its synonyms.
SECTOR_MATERIALS = {
    "apparel": "textiles",
    "home textiles": "textiles",
    "textiles": "textiles",
    "accessories": "textiles",
    "yarn": "textiles",
    "fabric": "textiles",
    "knitting": "textiles",
    "weaving": "textiles",
    "footwear": "footwear",
    "shoes": "footwear",
    "leather": "leather",
    "tanning": "leather",
    "furniture": "furniture",
    "wood": "timber",
    "toys": "toys",
    "electronics": "electronics",
    "automotive": "auto parts",
    "packaging": "paper",
    "jewelry": "silver",
    "ceramics": "ceramics",
}

# Upper bounds in workers, after the EU's micro/small/medium definition.
SIZE_LIMITS = (("micro", 10), ("small", 50), ("medium", 250))


def is_osh(columns: set[str]) -> bool:
    """Return whether a file's columns look like an Open Supply Hub export."""
    return bool(columns & MARKERS) and "materials" not in columns


def _tokens(*values: Any) -> list[str]:
    parts: list[str] = []
    for value in values:
        parts += [p.strip().lower() for p in re.split(r"[|;,/]", str(value or "")) if p.strip()]
    return parts


def materials_from(row: dict[str, Any]) -> list[str]:
    """Return the canonical materials named by product type, processing type and sector."""
    found: list[str] = []
    for token in _tokens(row.get("product_type"), row.get("processing_type"), row.get("sector")):
        hit = canonical_material(token)
        name = hit.name if hit else SECTOR_MATERIALS.get(token)
        for word in [] if name else token.split():  # "cotton yarn" → cotton
            word_hit = canonical_material(word)
            name = name or (word_hit.name if word_hit else SECTOR_MATERIALS.get(word))
        if name and name not in found:
            found.append(name)
    return found


def size_class(workers: Any) -> tuple[str | None, str | None]:
    """Return (micro/small/medium or None, a warning) for a worker count or range.

    Raise ValueError when the facility is certainly larger than medium.
    """
    text = str(workers or "")
    numbers = [int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*", text)]
    if not numbers:
        return None, "number of workers unknown: size class assumed medium"
    low = 0 if re.search(r"(?i)less than|under|<", text) else min(numbers)
    high = max(numbers) + (1 if re.search(r"(?i)more than|over|\+", text) else 0)
    for name, limit in SIZE_LIMITS:
        if high <= limit:
            return name, None
    if low > SIZE_LIMITS[-1][1] or re.search(r"(?i)more than|over|\+", text):
        raise ValueError(
            f"too large for a small-producer directory: {text} workers (medium ends at 250)"
        )
    return "medium", f"{text} workers may exceed 250: size class assumed medium"


def to_project(row: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """Return the project-format record for an OSH row, and warnings about it."""
    warnings: list[str] = []
    if str(row.get("is_closed") or "").strip().lower() in ("true", "1", "yes"):
        raise ValueError("the facility is closed (is_closed is true)")
    mats = materials_from(row)
    if not mats:
        raise ValueError(
            "no known material in sector/product type/processing type "
            f"({row.get('sector') or ''!s}|{row.get('product_type') or ''!s})"
        )
    size, warning = size_class(row.get("number_of_workers"))
    if warning:
        warnings.append(warning)
    address = (row.get("address") or "").strip()
    notes = "; ".join(
        f"{label}: {row[key]}"
        for key, label in (
            ("address", "Address"),
            ("sector", "Sector"),
            ("processing_type", "Processing"),
            ("number_of_workers", "Workers"),
        )
        if row.get(key)
    )
    record = {
        "external_id": f"osh:{row['os_id']}" if row.get("os_id") else None,
        "name": row.get("name"),
        "country": row.get("country_code") or row.get("country") or row.get("country_name"),
        "lat": row.get("lat"),
        "lon": row.get("lng") or row.get("lon"),
        "materials": mats,
        "size_class": size or "medium",
        "notes": notes or None,
        "_address": address,
    }
    return record, warnings
