"""`/ready`: each dependency reports itself; the endpoint is ready only when every check passes."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import msgspec

Check = Callable[[], Awaitable[str]]
"""Returns a short status ("ok", "closed", …) or raises when the dependency is not usable."""


class CheckResult(msgspec.Struct, frozen=True):
    name: str
    ok: bool
    detail: str


class ReadinessReport(msgspec.Struct, frozen=True):
    ready: bool
    checks: list[CheckResult]


class ReadinessProbe:
    def __init__(self, checks: dict[str, Check], timeout: float = 2.0) -> None:
        self._checks = checks
        self._timeout = timeout

    async def _run(self, name: str, check: Check) -> CheckResult:
        try:
            detail = await asyncio.wait_for(check(), self._timeout)
            return CheckResult(name=name, ok=True, detail=detail)
        except TimeoutError:
            return CheckResult(name=name, ok=False, detail="timed out")
        except Exception as exc:
            return CheckResult(name=name, ok=False, detail=type(exc).__name__)

    async def check(self) -> ReadinessReport:
        results = await asyncio.gather(*(self._run(n, c) for n, c in self._checks.items()))
        return ReadinessReport(ready=all(r.ok for r in results), checks=list(results))
