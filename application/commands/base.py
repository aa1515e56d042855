"""The base of every command: what its use case returns is its type parameter."""

from __future__ import annotations

from typing import Any, Generic, TypeAlias, TypeVar

import msgspec

R = TypeVar("R", covariant=True)


class Command(msgspec.Struct, Generic[R], frozen=True, kw_only=True, tag=True):
    """Base of all commands; ``R`` is what its use case returns, so ``bus.dispatch(command)`` is typed.

    ``tag=True`` lets a job queue serialize any command and decode it back.
    """


AnyCommand: TypeAlias = Command[Any]
