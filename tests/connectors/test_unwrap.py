"""News-search redirect links are unwrapped to the article's own address before dedup."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from connectors import registry
from connectors.clean import unwrap_redirect
from tests.samples import fixture_bytes

TARGET = "https://www.reuters.com/world/dockworkers-strike-2026-12-01/"


@pytest.mark.parametrize(
    "link",
    [
        f"https://news.google.com/news/url?sa=t&fd=R&ct2=us&usg=AFQjCNE&url={quote(TARGET, '')}",
        f"https://news.google.com/url?q={quote(TARGET, '')}&sa=U",
        f"https://www.google.com/url?rct=j&sa=t&url={quote(TARGET, '')}&ct=ga&cd=CAE",
        f"http://www.bing.com/news/apiclick.aspx?ref=FexRss&aid=&tid=9F1&url={quote(TARGET, '')}",
        # a redirect to a redirect
        "https://www.google.com/url?q="
        + quote(f"https://news.google.com/news/url?url={quote(TARGET, '')}", ""),
    ],
)
def test_search_redirects_are_unwrapped(link: str) -> None:
    assert unwrap_redirect(link) == TARGET


@pytest.mark.parametrize(
    "link",
    [
        TARGET,
        "https://news.google.com/rss/articles/CBMiTmh0dHBzOi8vd3d3?oc=5",  # opaque: kept
        "https://www.google.com/url?q=javascript:alert(1)",  # target not http(s): kept
        "https://www.google.com/url?sa=t",  # no target
        "https://evil.example/url?url=https://bank.example/",  # not a known redirector
        "javascript:alert(1)",
    ],
)
def test_other_links_are_left_alone(link: str) -> None:
    assert unwrap_redirect(link) == link


def _without_guid(link: str) -> bytes:
    """The real Cloudflare feed, its first item linked to `link` and without a guid (its id
    then comes from the link, as for search feeds whose guid is the redirect)."""
    body = fixture_bytes("rss/rss_2.0_cloudflare.xml")
    first = b"https://blog.cloudflare.com/privacy-preserving-compromised-credential-checking/"
    guid = b'<guid isPermaLink="false">6166e7e065133e02a961145d</guid>'
    linked = body.replace(first, link.replace("&", "&amp;").encode(), 1)
    return linked.replace(guid, b"", 1)


def test_items_from_two_redirects_of_one_article_share_link_and_id() -> None:
    first = f"https://news.google.com/news/url?usg=AAA&url={quote(TARGET, '')}"
    second = f"https://news.google.com/news/url?usg=BBB&url={quote(TARGET, '')}"
    a, b = (
        registry.parse(_without_guid(link), kind="rss", url="https://news.google.com/rss")
        for link in (first, second)
    )
    assert a[0].url == b[0].url == TARGET
    assert a[0].id == b[0].id
