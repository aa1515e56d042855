"""The chat model: any OpenAI-compatible endpoint when configured, the offline extractive answerer otherwise."""

from __future__ import annotations

from collections.abc import AsyncIterator

from dishka import Provider, Scope, provide

from adapters.inprocess.model_catalog import StaticModelCatalog
from adapters.llm.circuit_breaker import CircuitBreaker
from adapters.llm.offline_answerer import OfflineAnswerer
from adapters.llm.openai_chat import ModelTimeouts, OpenAIChatModel
from adapters.llm.openai_model_catalog import OpenAIModelCatalog
from adapters.llm.retry_policy import ModelRetryPolicy
from application.ports.chat_model import ChatModel
from application.ports.model_catalog import ModelCatalog
from application.ports.query_rewriter import QueryRewriter
from application.retrieval.followup_query import CombiningQueryRewriter
from application.retrieval.model_query_rewriter import ModelQueryRewriter
from entrypoints.settings import Settings


class ModelStatus:
    """What `/ready` shows of the model: ``available`` or ``unavailable`` (its circuit breaker is open). Never
    a reason to take a replica out of rotation: an open breaker already answers fast."""

    def __init__(self, model: OfflineAnswerer | OpenAIChatModel) -> None:
        self._model = model

    async def status(self) -> str:
        return await self._model.status()


def build_model(s: Settings) -> OfflineAnswerer | OpenAIChatModel:
    if s.llm_base_url is None:
        return OfflineAnswerer()
    return OpenAIChatModel(
        base_url=s.llm_base_url,
        model=s.llm_model or "",
        api_key=s.llm_api_key,
        merge_system_prompt=s.llm_merge_system_prompt,
        timeouts=ModelTimeouts(
            connect_seconds=s.llm_connect_timeout_seconds,
            first_token_seconds=s.llm_first_token_timeout_seconds,
            total_seconds=s.llm_total_timeout_seconds,
        ),
        retry=ModelRetryPolicy(
            max_attempts=s.llm_max_attempts,
            base_delay_seconds=s.llm_retry_base_delay_seconds,
            max_delay_seconds=s.llm_retry_max_delay_seconds,
        ),
        breaker=CircuitBreaker(
            failure_threshold=s.llm_breaker_failure_threshold, cool_down_seconds=s.llm_breaker_cool_down_seconds
        ),
    )


class LlmProvider(Provider):
    scope = Scope.APP

    @provide
    async def model(self, settings: Settings) -> AsyncIterator[OfflineAnswerer | OpenAIChatModel]:
        model = build_model(settings)
        yield model
        await model.aclose()

    @provide
    def chat_model(self, model: OfflineAnswerer | OpenAIChatModel) -> ChatModel:
        return model

    @provide
    async def catalog(self, settings: Settings) -> AsyncIterator[ModelCatalog]:
        """The provider's ``/v1/models``; the offline answerer offers only itself."""
        if settings.llm_base_url is None:
            yield StaticModelCatalog(OfflineAnswerer().name)
            return
        catalog = OpenAIModelCatalog(base_url=settings.llm_base_url, default_model=settings.llm_model or "",
                                     api_key=settings.llm_api_key,
                                     timeout_seconds=settings.llm_connect_timeout_seconds)
        yield catalog
        await catalog.aclose()

    @provide
    def status(self, model: OfflineAnswerer | OpenAIChatModel) -> ModelStatus:
        return ModelStatus(model)

    @provide
    def query_rewriter(self, model: OfflineAnswerer | OpenAIChatModel, settings: Settings) -> QueryRewriter:
        """Follow-up questions: rewritten by the model when there is one, else combined with the previous one."""
        if isinstance(model, OfflineAnswerer):
            return CombiningQueryRewriter()
        return ModelQueryRewriter(model, timeout_seconds=settings.query_rewrite_timeout_seconds)
