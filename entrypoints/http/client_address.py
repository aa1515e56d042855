"""Who is calling: the peer address, or, behind a trusted reverse proxy, the address it saw.

``X-Forwarded-For`` is read only when the peer is one of the configured trusted proxies (anyone can send the
header), and from the right: each proxy appends the address it received from, so the rightmost entry that is
not itself a trusted proxy is the first one nobody we trust could have forged.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(entries: Iterable[str]) -> list[Network]:
    """``10.0.0.5`` or ``10.0.0.0/8`` style entries; raises ``ValueError`` on anything else."""
    return [ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip()]


class ClientAddressResolver:
    def __init__(self, trusted_proxies: list[Network]) -> None:
        self._trusted = trusted_proxies

    def _is_trusted(self, address: str) -> bool:
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self._trusted)

    def resolve(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str:
        peer = connection.client.host if connection.client else "unknown"
        if not self._trusted or not self._is_trusted(peer):
            return peer
        forwarded = [
            hop.strip()
            for header in connection.headers.getall("x-forwarded-for", [])
            for hop in header.split(",")
            if hop.strip()
        ]
        for hop in reversed(forwarded):
            if not self._is_trusted(hop):
                return hop
        return forwarded[0] if forwarded else peer

    def forwarded_proto(self, connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
        """``X-Forwarded-Proto`` when a trusted proxy sent it (the scheme the browser used), else None."""
        peer = connection.client.host if connection.client else ""
        if not self._trusted or not self._is_trusted(peer):
            return None
        proto = connection.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
        return proto or None
