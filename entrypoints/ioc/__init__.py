"""Dependency wiring (dishka). The only place that knows which adapter serves which port.

``make_container(settings, *overrides)`` builds the container; later providers win, so tests pass
``MemoryPersistenceProvider()`` (and friends, ``tests/support/memory_providers.py``) to swap adapters.
Nothing here runs (or is imported) at import time.
"""

from __future__ import annotations

from dishka import AsyncContainer, Provider, make_async_container

from entrypoints.settings import Settings


def default_providers(settings: Settings) -> list[Provider]:
    """Embedded mode runs the chat state in process; ``REDIS_URL`` moves it to Redis (several API replicas).

    The providers are imported here, not at module level, so a command that wires only a few of them (``ragchat
    search``) does not import the web framework, Redis and OpenAI clients for nothing."""
    from entrypoints.ioc.auth import AuthProvider, InProcessAttemptLimiterProvider, RedisAttemptLimiterProvider
    from entrypoints.ioc.chat_runtime import ChatRuntimeProvider, InProcessChatStateProvider, RedisChatStateProvider
    from entrypoints.ioc.config import SettingsProvider
    from entrypoints.ioc.jobs import jobs_providers
    from entrypoints.ioc.llm import LlmProvider
    from entrypoints.ioc.persistence import PostgresProvider
    from entrypoints.ioc.readiness import ReadinessProvider
    from entrypoints.ioc.retrieval import RetrievalProvider
    from entrypoints.ioc.telemetry import TelemetryProvider
    from entrypoints.ioc.use_cases import UseCaseProvider
    from entrypoints.ioc.web import WebProvider

    in_process = settings.redis_url is None
    chat_state = InProcessChatStateProvider() if in_process else RedisChatStateProvider()
    attempts = InProcessAttemptLimiterProvider() if in_process else RedisAttemptLimiterProvider()
    return [
        SettingsProvider(),
        PostgresProvider(),
        AuthProvider(),
        attempts,
        RetrievalProvider(),
        LlmProvider(),
        chat_state,
        ChatRuntimeProvider(),
        *jobs_providers(settings),  # in-process (PostgreSQL-backed) without REDIS_URL, arq with it
        UseCaseProvider(),
        WebProvider(),
        ReadinessProvider(),
        TelemetryProvider(),
    ]


def make_container(settings: Settings, *overrides: Provider) -> AsyncContainer:
    return make_async_container(*default_providers(settings), *overrides, context={Settings: settings})
