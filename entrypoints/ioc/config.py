from __future__ import annotations

from dishka import Provider, Scope, from_context, provide

from adapters.system_clock import SystemClock
from adapters.system_timer import LoopTimer
from application.ports.clock import Clock
from application.ports.timer import Timer
from entrypoints.settings import Settings


class SettingsProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return SystemClock()

    @provide(scope=Scope.APP)
    def timer(self) -> Timer:
        return LoopTimer()
