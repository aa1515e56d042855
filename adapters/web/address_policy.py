"""Which network addresses a web page may be fetched from: the rule that keeps "add a web page" from reaching
the server's own network (SSRF).

Checked on the address a host name resolved to, for every connection (each redirect too), by
``httpx-secure``, which then connects to exactly that address: a DNS answer that changes between check and
connection (rebinding) cannot slip through.
"""

from __future__ import annotations

import ipaddress

from domain.errors import UrlRefused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean, Oracle …
        "169.254.170.2",  # AWS ECS task credentials
        "100.100.100.200",  # Alibaba Cloud
        "fd00:ec2::254",  # AWS over IPv6
    )
)
"""Cloud instance metadata endpoints (credentials!): refused even where private addresses are allowed."""

NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(address: IPAddress) -> IPAddress:
    """The IPv4 address inside an IPv4-mapped (``::ffff:a.b.c.d``) or NAT64 IPv6 address, else the address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return address.ipv4_mapped
        if address in NAT64_PREFIX:
            return ipaddress.IPv4Address(address.packed[-4:])
    return address


class AddressPolicy:
    """``allow_private`` (``RAGCHAT_URL_IMPORT_ALLOW_PRIVATE``) admits private, loopback and link-local
    addresses, for intranet installs; metadata, multicast, unspecified and reserved addresses never."""

    def __init__(self, *, allow_private: bool = False) -> None:
        self.allow_private = allow_private

    def refusal(self, address: IPAddress, port: int) -> str | None:
        """Why this address may not be fetched from, or None when it may."""
        address = embedded_ipv4(address)
        if address in METADATA_ADDRESSES:
            return "a cloud metadata address"
        if address.is_multicast:
            return "a multicast address"
        if address.is_unspecified:
            return "an unspecified address"
        if address.is_reserved:
            return "a reserved address"
        if self.allow_private or address.is_global:
            return None
        if address.is_loopback:
            return "a loopback address"
        if address.is_link_local:
            return "a link-local address"
        return "a private address"

    def check(self, hostname: str, address: IPAddress, port: int) -> bool:
        """The ``httpx-secure`` validator: raises ``UrlRefused`` naming the host and what its address is."""
        if (reason := self.refusal(address, port)) is not None:
            # The resolved address of a host name stays unsaid: it would map the internal network for the asker.
            where = f"{hostname} is" if _names(hostname, address) else f"{hostname} resolves to"
            raise UrlRefused(f"{where} {reason}: only public web addresses can be added")
        return True


def _names(hostname: str, address: IPAddress) -> bool:
    """Whether the host is the address itself written out (``10.0.0.1``, ``[::ffff:127.0.0.1]``)."""
    try:
        return ipaddress.ip_address(hostname.strip("[]")) == address
    except ValueError:
        return False
