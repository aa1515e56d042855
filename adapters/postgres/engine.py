"""Builds the one ``AsyncEngine`` of a process from whatever URL form the operator wrote."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import ConnectionPoolEntry, PoolProxiedConnection

from adapters.postgres.vector_codec import send_vectors_in_binary

_SYNC_DRIVERS = {"postgres", "postgresql", "postgresql+psycopg", "postgresql+psycopg2", "postgresql+asyncpg"}


def async_url(url: str) -> URL:
    """``postgres://``, ``postgresql://`` (as Heroku, compose files and pgserver write them) → asyncpg."""
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    parsed = make_url(url)
    if parsed.drivername not in _SYNC_DRIVERS:
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    return parsed.set(drivername="postgresql+asyncpg")


PING_AFTER_IDLE_SECONDS = 5.0
"""A connection back from the pool after resting longer than this is pinged first; a busier one is not."""


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: float = 10.0,
    echo: bool = False,
    hnsw_ef_search: int = 400,
    hnsw_max_scan_tuples: int = 20_000,
    ping_after_idle_seconds: float = PING_AFTER_IDLE_SECONDS,
    clock: Callable[[], float] = time.monotonic,
    synchronous_commit: bool = True,
) -> AsyncEngine:
    """``pool_recycle`` keeps us under idle-connection timeouts of proxies such as PgBouncer or cloud LBs.

    A connection that rested in the pool is pinged before use and, if the server closed it (a restart),
    replaced, instead of failing a request (``ping_rested_connections``). ``pool_pre_ping`` would ping every
    checkout: a round trip before every transaction of a busy server (several per chat turn), for connections
    in use a moment ago. One the server dropped anyway fails its request with ``StorageUnavailable`` (a
    retryable 503; a turn is retried) and makes the pool replace every connection older than the failure.

    Every connection starts with the vector search's HNSW settings (pgvector 0.8's iterative scan, so a
    search filtered by owner still fills its LIMIT), so a search needs no round trip to set them;
    ``PgChunkIndex`` must be given the same two numbers. Before pgvector is loaded they are placeholders,
    which the extension adopts when it loads. ``synchronous_commit=False``: commits do not wait for the WAL
    flush (a machine crash may lose the last moments of commits, never consistency)."""
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_recycle=1800,
        # The most recently returned connection first: under light traffic requests keep reusing a few warm
        # connections (no pre-ping round trip, their prepared statements and plans already made) instead of
        # cycling through every idle one.
        pool_use_lifo=True,
        echo=echo,
        connect_args={
            "server_settings": {
                "application_name": "ragchat",
                "hnsw.iterative_scan": "relaxed_order",
                "hnsw.ef_search": str(hnsw_ef_search),
                "hnsw.max_scan_tuples": str(hnsw_max_scan_tuples),
                "synchronous_commit": "on" if synchronous_commit else "off",
            },
            "timeout": 10,
        },
    )
    send_vectors_in_binary(engine)
    ping_rested_connections(engine, ping_after_idle_seconds, clock)
    return engine


def ping_rested_connections(engine: AsyncEngine, after_seconds: float, clock: Callable[[], float]) -> None:
    """SQLAlchemy's documented pessimistic check done on a ``checkout`` listener, for rested connections only:
    a ``DisconnectionError`` raised there makes the pool discard the connection and check out another
    (up to three times)."""

    @event.listens_for(engine.sync_engine, "checkin")
    def rested_since(dbapi_connection: Any, record: ConnectionPoolEntry) -> None:
        record.info["checked_in_at"] = clock()

    @event.listens_for(engine.sync_engine, "checkout")
    def ping_if_rested(dbapi_connection: Any, record: ConnectionPoolEntry, proxy: PoolProxiedConnection) -> None:
        checked_in_at = record.info.get("checked_in_at")
        if checked_in_at is None or clock() - checked_in_at < after_seconds:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_connection)
        except Exception as exc:
            raise DisconnectionError("a pooled connection was closed by the server") from exc


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for one request each. ``expire_on_commit=False``: we only run Core statements, and nothing
    should reload after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
