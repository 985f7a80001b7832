"""Refuse feed addresses on loopback, private, link-local or reserved networks.

The check runs when a connection is opened (every hop of a redirect opens its own), on the
addresses the name actually resolved to, and the connection goes to the address that was
checked, so a DNS answer that changes between check and connect cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
import ssl
from collections.abc import Iterable
from typing import Any

import httpcore
import httpx

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class RefusedAddress(Exception):
    """A feed host resolved to an address that is not on the public internet."""


class Allowlist:
    """Hosts, `host:port` pairs and networks the operator allows (`allow_private_hosts`).

    A bare host or network allows every port; `host:port` (`[v6]:port` for IPv6) allows that
    one port only, which is what a local sample server needs and no more.
    """

    def __init__(self, entries: Iterable[str]) -> None:
        self.hosts: set[str] = set()
        self.host_ports: set[tuple[str, int]] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for raw in entries:
            entry = raw.strip()
            try:
                self.networks.append(ipaddress.ip_network(entry, strict=False))
                continue
            except ValueError:
                pass
            match = _HOST_PORT.fullmatch(entry)
            if match:
                host = match.group("v6") or match.group("host")
                self.host_ports.add((_norm(host), int(match.group("port"))))
            else:
                self.hosts.add(_norm(entry))

    def allows(self, host: str, address: IPAddress, port: int) -> bool:
        """Return True when `host` (or `address`), on `port`, was listed by the operator."""
        name = _norm(host)
        if name in self.hosts or any(address in net for net in self.networks):
            return True
        return (name, port) in self.host_ports or (_norm(str(address)), port) in self.host_ports


_HOST_PORT = re.compile(r"(?:\[(?P<v6>[0-9A-Fa-f:.]+)\]|(?P<host>[^:\[\]]+)):(?P<port>\d{1,5})")


def _norm(host: str) -> str:
    host = host.lower().rstrip(".")
    try:
        return str(ipaddress.ip_address(host))  # one spelling per address (`::1`, not `0::1`)
    except ValueError:
        return host


# Networks whose addresses carry an IPv4 address in their last 32 bits: IPv4-compatible
# (deprecated, ::a.b.c.d), IPv4-mapped, IPv4-translated (RFC 2765) and the well-known NAT64
# prefix. Python's `is_global` calls most of them public whatever the IPv4 inside is.
_IPV4_IN_LOW_BITS = tuple(
    ipaddress.IPv6Network(net)
    for net in ("::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96")
)
# Networks that cannot be judged: local-use NAT64 (RFC 8215) puts the IPv4 address at a place
# that depends on a prefix length we cannot know, and site-local (fec0::/10) is deprecated.
_UNJUDGEABLE = tuple(ipaddress.IPv6Network(net) for net in ("64:ff9b:1::/48", "fec0::/10"))


def embedded_ipv4(address: ipaddress.IPv6Address) -> list[ipaddress.IPv4Address]:
    """Return the IPv4 addresses an IPv6 transition address leads to (none for a plain one)."""
    if any(address in net for net in _IPV4_IN_LOW_BITS):
        return [ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)]
    if address.sixtofour is not None:  # 2002:a.b.c.d::/48
        return [address.sixtofour]
    if address.teredo is not None:  # 2001::/32: the Teredo server and the client behind NAT
        return list(address.teredo)
    return []


def is_public(address: IPAddress) -> bool:
    """Return True for a globally routable unicast address, judging embedded IPv4 too."""
    if isinstance(address, ipaddress.IPv6Address):
        if any(address in net for net in _UNJUDGEABLE):
            return False
        inner = embedded_ipv4(address)
        if inner:
            return all(is_public(v4) for v4 in inner)
    return address.is_global and not address.is_multicast


def literal_refusal(host: str, port: int, allow: Allowlist) -> str | None:
    """Return why a URL's host is refused before any lookup (a private IP literal, localhost).

    Host names are judged again when a connection is opened, on what they resolve to; this
    only turns away, at registration, addresses that can never be fetched.
    """
    name = _norm(host)
    if name == "localhost" or name.endswith(".localhost"):
        address: IPAddress = ipaddress.IPv4Address("127.0.0.1")
    else:
        try:
            address = ipaddress.ip_address(name)
        except ValueError:
            return None
    if is_public(address) or allow.allows(host, address, port):
        return None
    return (
        f"{host} is a loopback/private/link-local/reserved address; "
        "add the host to MONITOR_FETCH_ALLOW_PRIVATE_HOSTS to allow it"
    )


async def resolve(host: str, port: int, allow: Allowlist) -> str:
    """Resolve `host` to an address to connect to; raise RefusedAddress if one is private."""
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise httpcore.ConnectError(f"cannot resolve host {host}: {exc.strerror}") from exc
    addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    # Every answer must pass: one private address in a round-robin set is enough to refuse.
    for address in addresses:
        if not is_public(address) and not allow.allows(host, address, port):
            raise RefusedAddress(
                f"{host} resolves to {address}, a loopback/private/link-local/reserved address; "
                "add the host to MONITOR_FETCH_ALLOW_PRIVATE_HOSTS to allow it"
            )
    return str(addresses[0])


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore network backend that checks each address before it connects."""

    def __init__(self, allow: Allowlist) -> None:
        self.allow = allow
        self._backend = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        """Resolve, check, then connect to the checked address (TLS still uses the host name)."""
        address = await resolve(host, port, self.allow)
        return await self._backend.connect_tcp(
            address,
            port,
            timeout=timeout,
            local_address=local_address,
            socket_options=socket_options,
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        """Refuse: feeds are fetched over TCP only."""
        raise RefusedAddress("unix sockets are not feed addresses")

    async def sleep(self, seconds: float) -> None:
        """Sleep on the wrapped backend."""
        await self._backend.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool on a `GuardedBackend`."""

    def __init__(self, allow: Allowlist, limits: httpx.Limits, ssl_context: ssl.SSLContext) -> None:
        super().__init__(limits=limits, verify=ssl_context, trust_env=False)
        # httpx does not take a network backend, so the pool is rebuilt with the same limits.
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(allow),
        )
