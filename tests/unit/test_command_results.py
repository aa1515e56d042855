"""Every command names what its use case returns (``Command[R]``), so ``bus.dispatch`` is typed end to end; this
holds each use case's return annotation to its command's ``R`` (mypy cannot see through the handler table)."""

from __future__ import annotations

import sys
import typing
from typing import Any, ForwardRef

import pytest

from application.commands import Command, Query
from application.handlers import COMMAND_HANDLERS


def _declared_result(command: type[Command[Any]], handler: type[Any]) -> object:
    [base] = [b for b in command.__orig_bases__ if typing.get_origin(b) in (Command, Query)]  # type: ignore[attr-defined]
    [result] = typing.get_args(base)
    namespace = {**vars(sys.modules[command.__module__]), **vars(sys.modules[handler.__module__])}
    if isinstance(result, ForwardRef):
        return eval(result.__forward_arg__, namespace)
    return result


@pytest.mark.parametrize("command", sorted(COMMAND_HANDLERS, key=lambda kind: kind.__name__), ids=lambda k: k.__name__)
def test_the_use_case_returns_what_the_command_declares(command: type[Command[Any]]) -> None:
    handler = COMMAND_HANDLERS[command]
    returned = typing.get_type_hints(handler.__call__)["return"]
    assert returned == _declared_result(command, handler)


def test_every_command_has_a_use_case() -> None:
    pending, commands = list(Command.__subclasses__()), set()
    while pending:
        kind = pending.pop()
        if kind.__module__.startswith("application.commands."):  # not the ones tests define for the bus
            commands.add(kind)
        pending.extend(kind.__subclasses__())
    assert commands - {Query} == set(COMMAND_HANDLERS)  # Query: the base of the commands that only read
