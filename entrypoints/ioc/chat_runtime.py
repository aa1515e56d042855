"""The chat runtime's shared state: in-process twins in embedded mode, Redis when ``REDIS_URL`` is set."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

from dishka import AsyncContainer, Provider, Scope, alias, provide
from redis.asyncio import Redis

from adapters.inprocess.chat_lock import MemoryChatLock
from adapters.inprocess.delivery_log import MemoryDeliveryLog
from adapters.inprocess.frame_bus import MemoryFrameBus
from adapters.inprocess.inbox import MemoryInbox
from adapters.inprocess.stop_signals import MemoryStopSignals
from adapters.jobs.in_process_turn_scheduler import InProcessTurnScheduler
from adapters.redis.chat_lock import RedisChatLock
from adapters.redis.client import connect_redis
from adapters.redis.delivery_log import RedisDeliveryLog
from adapters.redis.frame_bus import RedisFrameBus
from adapters.redis.inbox import RedisInbox
from adapters.redis.stop_signals import RedisStopSignals
from application.chat.answer_streams import AnswerStreams
from application.chat.frame_emitter import FrameEmitter
from application.chat.replacements import ReplacementApplier
from application.chat.turn_runner import TurnRunner, TurnSettings
from application.chat.turn_starts import TurnStarts
from application.commands import FindInactiveAccounts
from application.ports.chat_lock import ChatLock
from application.ports.delivery_log import DeliveryLog
from application.ports.frame_bus import FrameBus
from application.ports.inbox import Inbox
from application.ports.stop_signals import StopSignals
from application.ports.turn_scheduler import TurnScheduler
from application.prompting import PromptLimits
from entrypoints.http.chat_socket.account_watch import AccountWatch
from entrypoints.http.chat_socket.rate_limit import PerKeyBuckets
from entrypoints.http.chat_socket.socket_cap import SocketCap
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings import Settings


class ChatStatePing:
    """What `/ready` shows of the chat state: Redis answering PING, or ``in-process``."""

    def __init__(self, client: Redis | None) -> None:
        self._client = client

    async def ping(self) -> str:
        if self._client is None:
            return "in-process"
        await self._client.ping()
        return "ok"


class ChatRuntimeProvider(Provider):
    """What every mode shares: the emitter, turn settings, the turn runner and the socket rate limits."""

    frame_emitter = provide(FrameEmitter, scope=Scope.APP)
    turn_runner = provide(TurnRunner, scope=Scope.REQUEST)
    replacements = provide(ReplacementApplier, scope=Scope.REQUEST)

    @provide(scope=Scope.APP)
    def turn_settings(self, settings: Settings) -> TurnSettings:
        return TurnSettings(
            retrieval_k=settings.retrieval_k,
            relevance_floor=settings.effective_relevance_floor,
            limits=PromptLimits(context_window=settings.llm_context_window,
                                max_answer_tokens=settings.llm_max_answer_tokens),
            summary_keep_recent=settings.summary_keep_recent_messages,
        )

    @provide(scope=Scope.APP)
    async def turn_scheduler(self, container: AsyncContainer,
                             settings: Settings) -> AsyncIterator[InProcessTurnScheduler]:
        scheduler = InProcessTurnScheduler(lambda command: dispatch_in_request(container, command),
                                           concurrency=settings.turn_concurrency)
        yield scheduler
        await scheduler.close()

    scheduler = alias(source=InProcessTurnScheduler, provides=TurnScheduler)

    @provide(scope=Scope.APP)
    def turn_starts(self, settings: Settings) -> TurnStarts:
        return TurnStarts(settings.turn_start_concurrency)

    @provide(scope=Scope.APP)
    def answer_streams(self, settings: Settings) -> AnswerStreams:
        return AnswerStreams(settings.token_coalesce_ms / 1000, settings.token_coalesce_max_ms / 1000)

    @provide(scope=Scope.APP)
    async def account_watch(self, container: AsyncContainer, settings: Settings) -> AsyncIterator[AccountWatch]:
        async def find_inactive(user_ids: frozenset[uuid.UUID]) -> frozenset[uuid.UUID]:
            return await dispatch_in_request(container, FindInactiveAccounts(user_ids=user_ids))

        watch = AccountWatch(settings.ws_account_check_seconds, find_inactive)
        yield watch
        await watch.close()

    @provide(scope=Scope.APP)
    def message_buckets(self, settings: Settings) -> PerKeyBuckets:
        return PerKeyBuckets(settings.ws_messages_per_second, settings.ws_message_burst)

    @provide(scope=Scope.APP)
    def socket_cap(self, settings: Settings) -> SocketCap:
        return SocketCap(settings.ws_max_sockets_per_user)


class InProcessChatStateProvider(Provider):
    """Embedded mode: one process holds every socket, so in-memory state is the whole truth."""

    scope = Scope.APP

    @provide
    def ping(self) -> ChatStatePing:
        return ChatStatePing(None)

    @provide
    def inbox(self) -> Inbox:
        return MemoryInbox()

    @provide
    def delivery_log(self) -> DeliveryLog:
        return MemoryDeliveryLog()

    @provide
    def chat_lock(self) -> ChatLock:
        return MemoryChatLock()

    @provide
    def frame_bus(self) -> FrameBus:
        return MemoryFrameBus()

    @provide
    def stop_signals(self) -> StopSignals:
        return MemoryStopSignals()


class RedisChatStateProvider(Provider):
    scope = Scope.APP

    @provide
    async def client(self, settings: Settings) -> AsyncIterator[Redis]:
        assert settings.redis_url is not None
        client = connect_redis(settings.redis_url)
        yield client
        await client.aclose()

    @provide
    def ping(self, client: Redis) -> ChatStatePing:
        return ChatStatePing(client)

    @provide
    def inbox(self, client: Redis, settings: Settings) -> Inbox:
        return RedisInbox(client, prefix=settings.redis_prefix)

    @provide
    def delivery_log(self, client: Redis, settings: Settings) -> DeliveryLog:
        return RedisDeliveryLog(client, prefix=settings.redis_prefix, publish=True)  # one round trip per frame

    @provide
    def chat_lock(self, client: Redis, settings: Settings) -> ChatLock:
        return RedisChatLock(client, prefix=settings.redis_prefix)

    @provide
    async def frame_bus(self, client: Redis, settings: Settings) -> AsyncIterator[FrameBus]:
        bus = RedisFrameBus(client, prefix=settings.redis_prefix)
        yield bus
        await bus.aclose()

    @provide
    def stop_signals(self, client: Redis, settings: Settings) -> StopSignals:
        return RedisStopSignals(client, prefix=settings.redis_prefix)
