"""Private addresses are refused at connect time, unless the operator lists the host."""

from __future__ import annotations

import ipaddress
import uuid

import pytest

from connectors.http import FetchError, fetch, make_client
from connectors.netguard import Allowlist, is_public
from monitor.settings import Settings
from tests.connectors.feedserver import FeedServer, feed_server, poll_settings  # noqa: F401


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),  # cloud metadata
        ("100.64.0.1", False),  # carrier-grade NAT
        ("0.0.0.0", False),
        ("240.0.0.1", False),  # reserved
        ("224.0.0.1", False),  # multicast
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped loopback
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_allowlist_takes_hosts_and_networks() -> None:
    allow = Allowlist(["Feeds.Local.", "10.0.0.0/8", "127.0.0.1"])
    assert allow.allows("feeds.local", ipaddress.ip_address("192.168.0.9"))
    assert allow.allows("other", ipaddress.ip_address("10.9.9.9"))
    assert allow.allows("other", ipaddress.ip_address("127.0.0.1"))
    assert not allow.allows("other", ipaddress.ip_address("192.168.0.9"))


async def _get(settings: Settings, url: str):  # type: ignore[no-untyped-def]
    async with make_client(settings) as client:
        return await fetch(client, url, settings=settings)


async def test_loopback_feed_is_refused_unless_allowed(
    feed_server: FeedServer,  # noqa: F811
    poll_settings: Settings,  # noqa: F811
) -> None:
    p = f"/{uuid.uuid4().hex}"
    url = feed_server.serve(p, fixture="rss/rss_2.0_nbcny.xml")
    strict = poll_settings.model_copy(update={"allow_private_hosts": []})
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        await _get(strict, url)
    assert feed_server.requests[p] == []  # refused before connecting
    assert (await _get(poll_settings, url)).status == 200


async def test_localhost_name_is_checked_on_its_addresses(poll_settings: Settings) -> None:  # noqa: F811
    strict = poll_settings.model_copy(update={"allow_private_hosts": []})
    with pytest.raises(FetchError, match="localhost resolves to"):
        await _get(strict, "http://localhost:9/feed.xml")


async def test_redirect_to_a_private_address_is_refused(
    feed_server: FeedServer,  # noqa: F811
    poll_settings: Settings,  # noqa: F811
) -> None:
    # The allowed host redirects to one that is not allowed: the check runs again on the new hop.
    p = f"/{uuid.uuid4().hex}"
    url = feed_server.serve(p, status=301, headers={"Location": "http://10.255.255.1/feed.xml"})
    with pytest.raises(FetchError, match=r"refused: 10\.255\.255\.1"):
        await _get(poll_settings, url)


async def test_non_http_scheme_is_refused(poll_settings: Settings) -> None:  # noqa: F811
    with pytest.raises(FetchError, match="not an http"):
        await _get(poll_settings, "file:///etc/passwd")
