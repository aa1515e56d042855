"""The base of every command: what its use case returns is its type parameter."""

from __future__ import annotations

from typing import Any, Generic, TypeAlias, TypeVar

import msgspec

R = TypeVar("R", covariant=True)


class Command(msgspec.Struct, Generic[R], frozen=True, kw_only=True, tag=True):
    """Base of all commands; ``R`` is what its use case returns, so ``bus.dispatch(command)`` is typed.

    ``tag=True`` lets a job queue serialize any command and decode it back.
    """


class Query(Command[R], frozen=True, kw_only=True):
    """A command whose use case only reads. The bus runs it in a read-only unit of work
    (``UnitOfWork.reads_only``: no BEGIN and COMMIT round trips, the connection back to the pool as soon as it
    is done), unless a unit is already under way. Its use case must not write: the in-memory twin raises."""


AnyCommand: TypeAlias = Command[Any]
