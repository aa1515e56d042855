from __future__ import annotations

from dishka import Provider, Scope, from_context, provide

from adapters.system_clock import SystemClock
from application.ports.clock import Clock
from entrypoints.settings import Settings


class SettingsProvider(Provider):
    settings = from_context(provides=Settings, scope=Scope.APP)

    @provide(scope=Scope.APP)
    def clock(self) -> Clock:
        return SystemClock()
