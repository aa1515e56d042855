"""How the chat runtime's Redis client is built (one per process, APP scope)."""

from __future__ import annotations

from redis.asyncio import Redis

SOCKET_TIMEOUT_SECONDS = 5.0
"""Replies later than this count as a broken connection (and are retried). Blocking commands wait in slices
shorter than this (see ``RedisInbox``)."""


def connect_redis(url: str) -> Redis:
    """A pooled client returning bytes; connections are opened lazily, so this never blocks or fails."""
    client: Redis = Redis.from_url(
        url,
        decode_responses=False,
        socket_connect_timeout=2.0,
        socket_timeout=SOCKET_TIMEOUT_SECONDS,
        health_check_interval=15,
    )
    return client
