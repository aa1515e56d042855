"""Turns SQLAlchemy/asyncpg failures into errors the application understands, at the adapter's edge.

Lost connections, a server that is starting or shutting down, pool exhaustion, serialization failures and
deadlocks become ``StorageUnavailable`` (retryable, 503). Integrity errors pass through so the repository
that knows which constraint means what can translate them; anything else is a bug and propagates as is.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from application.errors import StorageUnavailable

P = ParamSpec("P")
R = TypeVar("R")

# SQLSTATE classes/codes that say "try again later", not "your statement is wrong".
TRANSIENT_SQLSTATES = ("08", "53", "57P", "40001", "40P01")


def constraint_of(error: IntegrityError) -> str | None:
    """The violated constraint's name, as asyncpg reports it (the adapted DBAPI error wraps asyncpg's)."""
    cause = getattr(error.orig, "__cause__", None)
    name = getattr(cause, "constraint_name", None)
    return name if isinstance(name, str) else None


def is_unavailable(error: BaseException) -> bool:
    if isinstance(error, IntegrityError):
        return False
    if isinstance(error, OperationalError | InterfaceError | PoolTimeout | OSError):
        return True
    if isinstance(error, DBAPIError):
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        return error.connection_invalidated or sqlstate.startswith(TRANSIENT_SQLSTATES)
    return False


def translate_errors(method: Callable[P, Coroutine[Any, Any, R]]) -> Callable[P, Coroutine[Any, Any, R]]:
    """Decorates a repository coroutine so callers never see a vendor exception for an outage."""

    @functools.wraps(method)
    async def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return await method(*args, **kwargs)
        except Exception as exc:
            if is_unavailable(exc):
                raise StorageUnavailable("the database is unavailable; try again shortly") from exc
            raise

    return wrapper
