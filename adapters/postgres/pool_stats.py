from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine


def pool_stats(engine: AsyncEngine) -> dict[str, int]:
    """The pool's own counters. SQLAlchemy does not count waiters; its async queue keeps them in asyncio's
    ``_getters`` (read defensively: 0 if a version moves it)."""
    pool = engine.sync_engine.pool
    size = getattr(pool, "size", lambda: 0)()
    checked_out = getattr(pool, "checkedout", lambda: 0)()
    overflow = max(0, getattr(pool, "overflow", lambda: 0)())
    queue = getattr(getattr(pool, "_pool", None), "_queue", None)
    getters = getattr(queue, "_getters", ()) if queue is not None else ()
    waiters = sum(1 for waiter in getters if not waiter.done())
    return {"size": size, "checked_out": checked_out, "overflow": overflow, "waiters": waiters}
