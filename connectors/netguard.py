"""Refuse feed addresses on loopback, private, link-local or reserved networks.

The check runs when a connection is opened (every hop of a redirect opens its own), on the
addresses the name actually resolved to, and the connection goes to the address that was
checked, so a DNS answer that changes between check and connect cannot slip through.
"""

from __future__ import annotations

import asyncio
import ipaddress
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
    """Hosts and networks the operator explicitly allows (`settings.allow_private_hosts`)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.hosts: set[str] = set()
        self.networks: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
        for entry in entries:
            try:
                self.networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                self.hosts.add(entry.strip().lower().rstrip("."))

    def allows(self, host: str, address: IPAddress) -> bool:
        """Return True when `host` or `address` was listed by the operator."""
        return host.lower().rstrip(".") in self.hosts or any(
            address in net for net in self.networks
        )


# IPv6 forms that carry an IPv4 address (RFC 6052 NAT64, the deprecated IPv4-compatible form):
# a gateway on the way would forward them to that IPv4 address, so that one is what is checked.
NAT64 = ipaddress.ip_network("64:ff9b::/96")
NAT64_LOCAL = ipaddress.ip_network("64:ff9b:1::/48")  # RFC 8215: local use, never public
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


def is_public(address: IPAddress) -> bool:
    """Return True for a globally routable unicast address (IPv4 inside IPv6 checked too)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64_LOCAL:
            return False
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and (address in NAT64 or address in IPV4_COMPATIBLE):
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is None and address.teredo:
            embedded = address.teredo[1]
        if embedded is not None:
            address = embedded
    return address.is_global and not address.is_multicast


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
        if not is_public(address) and not allow.allows(host, address):
            raise RefusedAddress(
                f"{host} resolves to {address}, a loopback/private/link-local/reserved address; "
                "add the host to MONITOR_ALLOW_PRIVATE_HOSTS to allow it"
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
