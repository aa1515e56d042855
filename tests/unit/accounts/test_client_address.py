"""The client address: the peer's, unless the peer is a trusted proxy; then the rightmost untrusted hop."""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection

from entrypoints.http.client_address import ClientAddressResolver, parse_networks


def _connection(peer: str, forwarded: list[str] | None = None) -> ASGIConnection[Any, Any, Any, Any]:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded or []]
    scope: Any = {"type": "http", "client": (peer, 4321), "headers": headers, "path": "/", "method": "GET"}
    return ASGIConnection(scope)


def test_without_trusted_proxies_the_header_is_ignored() -> None:
    resolver = ClientAddressResolver([])
    assert resolver.resolve(_connection("203.0.113.7", ["198.51.100.1"])) == "203.0.113.7"


def test_an_untrusted_peer_cannot_forge_its_address() -> None:
    resolver = ClientAddressResolver(parse_networks(["10.0.0.0/8"]))
    assert resolver.resolve(_connection("203.0.113.7", ["198.51.100.1"])) == "203.0.113.7"


def test_behind_a_trusted_proxy_the_rightmost_untrusted_hop_is_the_client() -> None:
    resolver = ClientAddressResolver(parse_networks(["10.0.0.0/8", "192.0.2.10"]))
    # The client put a forged entry first; the outer proxy (192.0.2.10) and the inner (10.1.1.1) are trusted.
    connection = _connection("10.1.1.1", ["6.6.6.6, 198.51.100.23", "192.0.2.10"])
    assert resolver.resolve(connection) == "198.51.100.23"


def test_a_trusted_peer_without_the_header_is_itself_the_client() -> None:
    resolver = ClientAddressResolver(parse_networks(["127.0.0.1"]))
    assert resolver.resolve(_connection("127.0.0.1")) == "127.0.0.1"
