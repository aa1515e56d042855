"""Which commands clients sent Redis, seen through ``MONITOR``: each is one round trip (the commands a Lua
script runs are left out), so a test can say how many round trips some work cost."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

DEADLINE = 10.0


class RoundTrips:
    def __init__(self) -> None:
        self.commands: list[str] = []
        """The client commands, e.g. ``"EVALSHA"``, in the order Redis ran them."""
        self.scripted: list[str] = []
        """Commands run inside Lua scripts (no round trip of their own)."""

    def count(self, name: str) -> int:
        return sum(1 for command in self.commands if command == name.upper())


@asynccontextmanager
async def round_trips(url: str) -> AsyncIterator[RoundTrips]:
    """Records from entering until leaving: on leaving, a marker ``ECHO`` is sent and awaited, so everything
    sent before it has been recorded."""
    seen = RoundTrips()
    marker = f"round-trips-{uuid.uuid4().hex}"
    monitor_client, marker_client = Redis.from_url(url), Redis.from_url(url)
    try:
        await marker_client.ping()  # connected before recording starts
        async with monitor_client.monitor() as monitor:
            done = asyncio.Event()

            async def record() -> None:
                while True:
                    info = await monitor.next_command()
                    command = str(info["command"])
                    name = command.split(" ", 1)[0].strip('"').upper()
                    if marker in command:
                        done.set()
                        return
                    (seen.scripted if info["client_type"] == "lua" else seen.commands).append(name)

            recorder = asyncio.create_task(record())
            try:
                yield seen
                await marker_client.echo(marker)
                await asyncio.wait_for(done.wait(), DEADLINE)
            finally:
                recorder.cancel()
    finally:
        await marker_client.aclose()
        await monitor_client.aclose()
