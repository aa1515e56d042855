from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import AsyncContainer, Provider, Scope, provide

from adapters.jobs.in_process_job_queue import InProcessJobQueue
from application.bus import CommandBus
from application.commands import Command
from application.ports.job_queue import JobQueue


class InProcessJobsProvider(Provider):
    """Embedded mode: jobs run as tasks of this process, each in a fresh request scope."""

    @provide(scope=Scope.APP)
    async def job_queue(self, container: AsyncContainer) -> AsyncIterator[JobQueue]:
        async def dispatch(command: Command) -> object:
            async with container() as request:
                bus = await request.get(CommandBus)
                return await bus.dispatch(command)

        queue = InProcessJobQueue(dispatch)
        yield queue
        await queue.close()
