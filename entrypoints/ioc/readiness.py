from __future__ import annotations

from dishka import Provider, Scope, provide

from entrypoints.ioc.chat_runtime import ChatStatePing
from entrypoints.ioc.llm import ModelStatus
from entrypoints.ioc.persistence import DatabasePing
from entrypoints.readiness import ReadinessProbe


class ReadinessProvider(Provider):
    @provide(scope=Scope.APP)
    def probe(self, database: DatabasePing, chat_state: ChatStatePing, model: ModelStatus) -> ReadinessProbe:
        return ReadinessProbe({"database": database.ping, "chat_state": chat_state.ping, "model": model.status})
