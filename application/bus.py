"""The in-process command bus: the one way in for every entrypoint.

A plain dict maps each command type to its use case class; the bus asks the caller's resolver (the current
dependency-injection scope) for an instance, so a use case gets the ports of *that* request or job.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, cast

from application.commands import AnyCommand, Command, Query
from application.ports.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class UseCase(Protocol):
    async def __call__(self, command: Any, /) -> Any: ...


Resolver = Callable[[type[T]], Awaitable[T]]


class UnknownCommand(LookupError):
    pass


class CommandBus:
    def __init__(self, handlers: dict[type[AnyCommand], type[Any]], resolve: Resolver[Any]) -> None:
        self._handlers = handlers
        self._resolve = resolve

    async def dispatch(self, command: Command[R]) -> R:
        """Runs the command's use case and returns its result; failures propagate unchanged.

        The result's type is the command's ``R``; a unit test holds every use case's return annotation to it.
        """
        try:
            use_case_type = self._handlers[type(command)]
        except KeyError:
            raise UnknownCommand(type(command).__name__) from None
        use_case: UseCase = await self._resolve(use_case_type)
        log.debug("dispatch", extra={"command": type(command).__name__})
        if isinstance(command, Query):
            return cast(R, await self._read(use_case, command))
        return cast(R, await use_case(command))

    async def _read(self, use_case: UseCase, query: Query[Any]) -> Any:
        """A query in a read-only unit of its own, ended as soon as it returns; inside a unit already under way
        (a use case dispatching a query) it simply joins it."""
        uow: UnitOfWork = await self._resolve(UnitOfWork)
        if not await uow.reads_only():
            return await use_case(query)
        try:
            result = await use_case(query)
        except BaseException:
            with contextlib.suppress(Exception):  # the query's own failure is the one to report
                await uow.rollback()
            raise
        await uow.commit()
        return result
