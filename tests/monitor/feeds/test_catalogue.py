"""The curated catalogue: enough real feeds in groups, each well formed, its kind able to read
a stored real sample of that kind, and addable by group without duplicates."""

from __future__ import annotations

from collections import Counter
from urllib.parse import urlsplit

import pytest

from connectors import registry
from monitor.db import session_scope
from monitor.errors import InvalidInput
from monitor.feeds import catalogue
from monitor.feeds import service as feeds
from monitor.feeds.models import CatalogueEntry
from monitor.settings import Settings
from tests import builders
from tests.samples import fixture_bytes

# A stored real sample per kind; some hosts have a closer one of their own.
SAMPLE_BY_KIND = {
    "rss": "rss/rss_2.0_spiegel.xml",
    "gdacs": "gdacs/gdacs-rss.xml",
    "usgs": "usgs/all_week.geojson",
    "cap": "cap/meteoalarm/meteoalarm-legacy-atom-germany.xml",
    "nws": "nws/sample.json",
}
SAMPLE_BY_HOST = {
    "www.nhc.noaa.gov": "nhc/index-at.xml",
    "www.gov.uk": "rss/atom_example_reddit.xml",  # GOV.UK feeds are Atom
    "www.data.jma.go.jp": "rss/atom_example_reddit.xml",  # JMA's feeds are Atom
}
ENTRIES = catalogue.entries()


def _sample(entry: CatalogueEntry) -> str:
    return SAMPLE_BY_HOST.get(urlsplit(entry.url).hostname or "", SAMPLE_BY_KIND[entry.kind])


def test_catalogue_has_thirty_feeds_in_groups() -> None:
    assert len(ENTRIES) >= 30
    sizes = Counter(entry.group for entry in ENTRIES)
    assert set(sizes) >= {"maritime", "sector", "hazards", "trade", "canals", "country-risk"}
    assert "news-search" in sizes


def test_urls_are_unique_public_https_addresses() -> None:
    urls = [entry.url for entry in ENTRIES]
    assert len(set(urls)) == len(urls)
    for url in urls:
        assert feeds.guard_url(url, settings=Settings()) == url
        assert urlsplit(url).scheme == "https", url


def test_nothing_is_claimed_checked_from_here() -> None:
    assert not any(entry.checked for entry in ENTRIES)


@pytest.mark.parametrize("entry", ENTRIES, ids=lambda e: e.name)
def test_each_entry_kind_reads_a_sample_of_that_kind(entry: CatalogueEntry) -> None:
    assert entry.kind in registry.KINDS
    assert entry.topics and entry.regions and entry.licence.strip()
    items = registry.parse(fixture_bytes(_sample(entry)), kind=entry.kind, url=entry.url)
    assert len(items) > 0, f"{entry.kind} read no item from {_sample(entry)}"


def test_a_bad_entry_is_refused(tmp_path) -> None:
    bad = tmp_path / "c.toml"
    bad.write_text('[[feed]]\ngroup = "x"\nname = "n"\nurl = "https://a.example/"\nkind = "rss"\n')
    with pytest.raises(ValueError, match="topics"):
        catalogue.entries(bad)


def test_select_by_group_or_all_and_refuse_unknown() -> None:
    hazards = catalogue.select_entries(group="hazards")
    assert hazards and all(entry.group == "hazards" for entry in hazards)
    assert len(catalogue.select_entries(everything=True)) == len(ENTRIES)
    with pytest.raises(InvalidInput, match="no catalogue group 'nope'; groups: maritime"):
        catalogue.select_entries(group="nope")
    with pytest.raises(InvalidInput, match="give a group"):
        catalogue.select_entries()


def test_add_a_group_twice_adds_once(poll_settings: Settings) -> None:
    canals = catalogue.select_entries(group="canals")
    with session_scope(poll_settings) as session:
        first = catalogue.add_entries(session=session, settings=poll_settings, chosen=canals)
    with session_scope(poll_settings) as session:
        again = catalogue.add_entries(session=session, settings=poll_settings, chosen=canals)
    assert (len(first.added), first.already) == (len(canals), 0)
    assert (len(again.added), again.already) == (0, len(canals))
    stored = builders.list_feeds(poll_settings)
    assert [(f.url, f.kind) for f in stored] == [(e.url, e.kind) for e in canals]
    assert all(300 <= f.interval_s <= 6 * 3600 and f.tags == ["canals"] for f in stored)
