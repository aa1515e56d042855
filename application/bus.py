"""The in-process command bus: the one way in for every entrypoint.

A plain dict maps each command type to its use case class; the bus asks the caller's resolver (the current
dependency-injection scope) for an instance, so a use case gets the ports of *that* request or job.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar, cast

from application.commands import AnyCommand, Command

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
        return cast(R, await use_case(command))
