from __future__ import annotations

from dishka import Provider, Scope, provide

from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from adapters.prometheus.telemetry import PrometheusTelemetry
from application.ports.job_queue import JobQueue
from entrypoints.drain import Drain
from entrypoints.ioc.chat_runtime import ChatStatePing
from entrypoints.ioc.llm import ModelStatus
from entrypoints.ioc.persistence import DatabasePing
from entrypoints.readiness import ReadinessProbe
from entrypoints.settings import Settings


class ReadinessProvider(Provider):
    scope = Scope.APP

    @provide
    def drain(self, turns: InProcessTurnScheduler, jobs: JobQueue, telemetry: PrometheusTelemetry,
              settings: Settings) -> Drain:
        return Drain(turns, jobs, telemetry, settings)

    @provide
    def probe(self, database: DatabasePing, chat_state: ChatStatePing, model: ModelStatus,
              drain: Drain) -> ReadinessProbe:
        return ReadinessProbe({"database": database.ping, "chat_state": chat_state.ping, "model": model.status,
                               "serving": drain.status})
