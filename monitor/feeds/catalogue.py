"""The curated default catalogue of real public feeds, and adding its feeds by group."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

from sqlmodel import Session, select

from monitor.errors import InvalidInput
from monitor.feeds import service as feeds
from monitor.feeds.models import CatalogueAdded, CatalogueEntry, Feed, FeedCreate
from monitor.settings import Settings

CATALOGUE = Path(__file__).parent / "data" / "catalogue.toml"
INTERVAL_RANGE = (300, 6 * 3600)  # polls no faster than 5 min nor slower than 6 h


@cache
def entries(path: Path = CATALOGUE) -> tuple[CatalogueEntry, ...]:
    """Return the catalogue's entries in file order, each validated."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return tuple(CatalogueEntry.model_validate(raw) for raw in data.get("feed", []))


def groups() -> list[str]:
    """Return the catalogue's groups in file order."""
    return list(dict.fromkeys(entry.group for entry in entries()))


def select_entries(*, group: str | None = None, everything: bool = False) -> list[CatalogueEntry]:
    """Return the entries of `group`, or all of them; refuse an unknown group or no choice."""
    if everything:
        return list(entries())
    if group is None:
        known = ", ".join(groups())
        raise InvalidInput("group", f"give a group (--group G) or all (--all); groups: {known}")
    chosen = [entry for entry in entries() if entry.group == group]
    if not chosen:
        raise InvalidInput("group", f"no catalogue group {group!r}; groups: {', '.join(groups())}")
    return chosen


def interval_for(entry: CatalogueEntry) -> int:
    """Return the polling interval for an entry: its cadence, kept within polite bounds."""
    low, high = INTERVAL_RANGE
    return max(low, min(high, entry.cadence_s))


def add_entries(
    *, session: Session, settings: Settings, chosen: list[CatalogueEntry]
) -> CatalogueAdded:
    """Register the chosen entries as feeds; those whose URL is registered already are left."""
    known = set(session.exec(select(Feed.url)).all())
    added: list[CatalogueEntry] = []
    for entry in chosen:
        if entry.url in known:
            continue
        feeds.guard_url(entry.url, settings=settings)
        data = FeedCreate(
            url=entry.url,
            kind=entry.kind,
            name=entry.name,
            interval_s=interval_for(entry),
            tags=[entry.group],
        )
        feeds.add_feed(session=session, data=data)
        known.add(entry.url)
        added.append(entry)
    return CatalogueAdded(added=added, already=len(chosen) - len(added))
