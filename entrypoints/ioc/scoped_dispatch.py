"""One command in a fresh dependency-injection scope: how an HTTP request, a WebSocket frame, a job and a CLI
command each run a use case, so each gets its own session and unit of work."""

from __future__ import annotations

from typing import TypeVar

from dishka import AsyncContainer

from application.bus import CommandBus
from application.commands import Command

R = TypeVar("R")


async def dispatch_in_request(container: AsyncContainer, command: Command[R]) -> R:
    async with container() as request:
        bus = await request.get(CommandBus)
        return await bus.dispatch(command)
