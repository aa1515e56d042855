"""Builds the one ``AsyncEngine`` of a process from whatever URL form the operator wrote."""

from __future__ import annotations

from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine

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


def create_engine(
    url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    pool_timeout: float = 10.0,
    echo: bool = False,
    hnsw_ef_search: int = 100,
    hnsw_max_scan_tuples: int = 20_000,
) -> AsyncEngine:
    """``pool_pre_ping`` replaces connections a restarted server has closed, instead of failing a request;
    ``pool_recycle`` keeps us under idle-connection timeouts of proxies such as PgBouncer or cloud LBs.

    Every connection starts with the vector search's HNSW settings (pgvector 0.8's iterative scan, so a
    search filtered by owner still fills its LIMIT), so a search needs no round trip to set them;
    ``PgChunkIndex`` must be given the same two numbers. Before pgvector is loaded they are placeholders,
    which the extension adopts when it loads."""
    engine = create_async_engine(
        async_url(url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_timeout=pool_timeout,
        pool_pre_ping=True,
        pool_recycle=1800,
        echo=echo,
        connect_args={
            "server_settings": {
                "application_name": "ragchat",
                "hnsw.iterative_scan": "relaxed_order",
                "hnsw.ef_search": str(hnsw_ef_search),
                "hnsw.max_scan_tuples": str(hnsw_max_scan_tuples),
            },
            "timeout": 10,
        },
    )
    send_vectors_in_binary(engine)
    return engine


def create_session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions for one request each. ``expire_on_commit=False``: we only run Core statements, and nothing
    should reload after commit."""
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
