"""Private addresses are refused at connect time, unless the operator lists the host."""

from __future__ import annotations

import ipaddress
import uuid

import pytest

from connectors.http import FetchError, fetch, make_client
from connectors.netguard import Allowlist, is_public, literal_refusal
from monitor.settings import Settings
from tests.servers.feedserver import FeedServer


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
        ("::ffff:8.8.8.8", True),
        # IPv6 transition forms are judged by the IPv4 address they lead to.
        ("::127.0.0.1", False),  # IPv4-compatible (deprecated)
        ("::10.0.0.1", False),
        ("::8.8.8.8", True),
        ("::ffff:0:7f00:1", False),  # IPv4-translated (RFC 2765)
        ("64:ff9b::7f00:1", False),  # NAT64 well-known prefix → 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 → 169.254.169.254
        ("64:ff9b::808:808", True),  # NAT64 → 8.8.8.8
        ("2002:7f00:1::1", False),  # 6to4 → 127.0.0.1
        ("2002:c0a8:101::1", False),  # 6to4 → 192.168.1.1
        ("2002:808:808::1", True),  # 6to4 → 8.8.8.8
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo (client 192.0.2.45)
        # What cannot be judged is refused.
        ("64:ff9b:1::808:808", False),  # local-use NAT64: where the IPv4 sits is unknown
        ("fec0::1", False),  # deprecated site-local
        ("fed0:1234::1", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public


def test_allowlist_takes_hosts_and_networks() -> None:
    allow = Allowlist(["Feeds.Local.", "10.0.0.0/8", "127.0.0.1"])
    assert allow.allows("feeds.local", ipaddress.ip_address("192.168.0.9"), 80)
    assert allow.allows("other", ipaddress.ip_address("10.9.9.9"), 443)
    assert allow.allows("other", ipaddress.ip_address("127.0.0.1"), 1)
    assert not allow.allows("other", ipaddress.ip_address("192.168.0.9"), 80)


@pytest.mark.parametrize(
    "entry", ["127.0.0.1:8765", "Samples.Local.:8765", "[::1]:8765", "[0:0::1]:8765"]
)
def test_allowlist_host_port_allows_that_port_only(entry: str) -> None:
    allow = Allowlist([entry])
    host = entry.rsplit(":", 1)[0].strip("[]")
    address = ipaddress.ip_address("::1" if ":" in host else "127.0.0.1")
    assert allow.allows(host, address, 8765)
    assert not allow.allows(host, address, 8766)
    assert not allow.allows("elsewhere", ipaddress.ip_address("10.0.0.1"), 8765)


async def _get(settings: Settings, url: str):  # type: ignore[no-untyped-def]
    async with make_client(settings) as client:
        return await fetch(client, url, settings=settings)


async def test_loopback_feed_is_refused_unless_allowed(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    p = f"/{uuid.uuid4().hex}"
    url = feed_server.serve(p, fixture="rss/rss_2.0_nbcny.xml")
    strict = poll_settings.updated(allow_private_hosts=[])
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        await _get(strict, url)
    assert feed_server.requests[p] == []  # refused before connecting
    assert (await _get(poll_settings, url)).status == 200


async def test_localhost_name_is_checked_on_its_addresses(poll_settings: Settings) -> None:
    strict = poll_settings.updated(allow_private_hosts=[])
    with pytest.raises(FetchError, match="localhost resolves to"):
        await _get(strict, "http://localhost:9/feed.xml")


async def test_redirect_to_a_private_address_is_refused(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    # The allowed host redirects to one that is not allowed: the check runs again on the new hop.
    p = f"/{uuid.uuid4().hex}"
    url = feed_server.serve(p, status=301, headers={"Location": "http://10.255.255.1/feed.xml"})
    with pytest.raises(FetchError, match=r"refused: 10\.255\.255\.1"):
        await _get(poll_settings, url)


async def test_non_http_scheme_is_refused(poll_settings: Settings) -> None:
    with pytest.raises(FetchError, match="not an http"):
        await _get(poll_settings, "file:///etc/passwd")


async def test_host_port_entry_refuses_a_redirect_to_another_local_port(
    feed_server: FeedServer,
    poll_settings: Settings,
) -> None:
    # `monitor run` allows exactly the sample server; a redirect to another local port (the
    # API, a database) is refused before connecting, so its errors map nothing.
    p = f"/{uuid.uuid4().hex}"
    url = feed_server.serve(p, fixture="rss/rss_2.0_nbcny.xml")
    exact = poll_settings.updated(**{"allow_private_hosts": [f"127.0.0.1:{feed_server.port}"]})
    assert (await _get(exact, url)).status == 200
    hop = f"/{uuid.uuid4().hex}"
    other = feed_server.port + 1 if feed_server.port < 65535 else feed_server.port - 1
    feed_server.serve(hop, status=302, headers={"Location": f"http://127.0.0.1:{other}/"})
    with pytest.raises(FetchError, match=r"refused: 127\.0\.0\.1 resolves to 127\.0\.0\.1"):
        await _get(exact, feed_server.url(hop))


@pytest.mark.parametrize(("host", "address"), [("127.0.0.1", "127.0.0.1"), ("::1", "::1")])
def test_demo_allows_the_sample_server_port_only(host: str, address: str) -> None:
    settings = Settings(api_host=host, api_port=8000, demo_feeds_port=8765)
    allow = Allowlist([settings.demo_feeds_allow])
    assert allow.allows(host, ipaddress.ip_address(address), 8765)
    assert not allow.allows(host, ipaddress.ip_address(address), 8000)  # the API
    assert not allow.allows(host, ipaddress.ip_address(address), 5432)


@pytest.mark.parametrize(
    ("host", "port", "refused"),
    [
        ("127.0.0.1", 80, True),
        ("localhost", 80, True),
        ("feeds.localhost", 80, True),
        ("::ffff:10.0.0.1", 80, True),
        ("169.254.169.254", 80, True),
        ("8.8.8.8", 80, False),
        ("www.gdacs.org", 443, False),  # names are judged on connect, on what they resolve to
        ("127.0.0.1", 8765, False),  # allowlisted host:port
    ],
)
def test_literal_private_hosts_are_refused_before_any_lookup(
    host: str, port: int, refused: bool
) -> None:
    reason = literal_refusal(host, port, Allowlist(["127.0.0.1:8765"]))
    assert (reason is not None) is refused
