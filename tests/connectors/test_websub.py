"""WebSub discovery: the hub and topic from a Link header or the feed's own links, SSRF-checked."""

from __future__ import annotations

import pytest

from connectors import registry
from connectors.http import FetchResult
from connectors.websub import discover, link_header, usable
from monitor.settings import Settings
from tests.samples import FIXTURES

METEOALARM = "cap/meteoalarm/meteoalarm-legacy-atom-germany.xml"  # names a real hub
HUB = "https://pubsubhubbub.appspot.com/"
SELF = "https://feeds.meteoalarm.org/feeds/meteoalarm-legacy-atom-germany"


@pytest.mark.parametrize(
    ("header", "want"),
    [
        ('<https://hub.example/>; rel="hub", <https://a.example/feed>; rel="self"',
         {"hub": "https://hub.example/", "self": "https://a.example/feed"}),
        ("<https://hub.example/>;rel=hub", {"hub": "https://hub.example/"}),
        ('<https://h.example/>; title="x"; rel="hub self"',
         {"hub": "https://h.example/", "self": "https://h.example/"}),
        ('<https://one.example/>; rel="hub", <https://two.example/>; rel="hub"',
         {"hub": "https://one.example/"}),
        ('<https://a.example/>; rel="alternate"', {"alternate": "https://a.example/"}),
        ("garbage without brackets; rel=hub", {}),
        (None, {}),
    ],
)  # fmt: skip
def test_link_header_names_each_rel_once(header: str | None, want: dict[str, str]) -> None:
    assert link_header(header) == want


@pytest.mark.parametrize("kind", ["cap", "rss"])
def test_the_feeds_own_hub_and_self_links_come_with_its_items(kind: str) -> None:
    items = registry.parse((FIXTURES / METEOALARM).read_bytes(), kind=kind, feed_id=1, url="x")
    assert len(items) > 0
    assert items.links == {"hub": HUB, "self": SELF}


def test_a_feed_without_a_hub_has_none() -> None:
    body = (FIXTURES / "rss/rss_2.0_cloudflare.xml").read_bytes()
    items = registry.parse(body, kind="rss", feed_id=1, url="x")
    assert "hub" not in items.links


def test_the_link_header_wins_over_the_feeds_links() -> None:
    result = FetchResult(
        status=200, url="https://feeds.example/a.xml",
        link='<https://hub.example/>; rel="hub", </a.xml?topic>; rel="self"',
    )  # fmt: skip
    hub, topic = discover(result, {"hub": HUB, "self": SELF}, Settings())
    assert (hub, topic) == ("https://hub.example/", "https://feeds.example/a.xml?topic")


def test_the_topic_defaults_to_the_fetched_address() -> None:
    result = FetchResult(status=200, url="https://feeds.example/a.xml")
    assert discover(result, {"hub": HUB}, Settings()) == (HUB, "https://feeds.example/a.xml")
    assert discover(result, {}, Settings()) == (None, None)


@pytest.mark.parametrize(
    "hub",
    ["http://127.0.0.1:9/hub", "http://localhost/hub", "http://10.1.2.3/", "http://[::1]/",
     "ftp://hub.example/", "javascript:alert(1)", "http://hub.example:99999/"],
)  # fmt: skip
def test_a_hub_on_a_private_address_or_not_http_is_ignored(hub: str) -> None:
    result = FetchResult(status=200, url="https://feeds.example/a.xml")
    assert discover(result, {"hub": hub}, Settings()) == (None, None)


def test_a_loopback_hub_is_allowed_only_when_listed_like_a_feed_server() -> None:
    allowed = Settings(fetch={"allow_private_hosts": ["127.0.0.1"]})
    assert usable("http://127.0.0.1:8080/hub", allowed) == "http://127.0.0.1:8080/hub"
    assert usable("http://127.0.0.1:8080/hub", Settings()) is None
