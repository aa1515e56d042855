"""What the job use cases need besides a queue: retry rules, summary and sweep policies, the summarizer
(chosen by settings), and the repositories of background work on PostgreSQL or, for unit tests, in memory."""

from __future__ import annotations

from dishka import Provider, Scope, provide

from adapters.postgres.chat_context_repository import PgChatContextRepository
from adapters.postgres.chat_job_lock import PgChatJobLock
from adapters.postgres.conversation_reader import PgConversationReader
from adapters.postgres.stuck_work import PgStuckWork
from adapters.postgres.token_usage_repository import PgTokenUsageRepository
from application.ports.chat_context_repository import ChatContextRepository
from application.ports.chat_job_lock import ChatJobLock
from application.ports.chat_model import ChatModel
from application.ports.chat_titler import ChatTitler
from application.ports.conversation_reader import ConversationReader
from application.ports.stuck_work import StuckWork
from application.ports.summarizer import Summarizer
from application.ports.token_usage_repository import TokenUsageRepository
from application.retries import JobRetryRules
from application.summaries.extractive_summarizer import ExtractiveSummarizer
from application.summaries.model_summarizer import ModelSummarizer
from application.titles.cut_titler import CutTitler
from application.titles.model_titler import ModelTitler
from application.use_cases.jobs.summarize_chat import SummaryPolicy
from application.use_cases.jobs.sweep_stuck_work import SweepPolicy
from entrypoints.settings import Settings


class JobPoliciesProvider(Provider):
    scope = Scope.APP

    @provide
    def rules(self, settings: Settings) -> JobRetryRules:
        return JobRetryRules(settings.job_max_tries, settings.job_retry_base_delay_seconds,
                          settings.job_retry_max_delay_seconds)

    @provide
    def summary_policy(self, settings: Settings) -> SummaryPolicy:
        return SummaryPolicy(keep_recent=settings.summary_keep_recent_messages)

    @provide
    def sweep_policy(self, settings: Settings) -> SweepPolicy:
        return SweepPolicy(stuck_after_seconds=settings.stuck_after_seconds,
                           unanswered_after_seconds=settings.unanswered_after_seconds)

    @provide
    def summarizer(self, settings: Settings, model: ChatModel) -> Summarizer:
        """Extractive with the offline answerer (it cannot write), else the configured model writes it."""
        return ExtractiveSummarizer() if settings.llm_base_url is None else ModelSummarizer(model)

    @provide
    def titler(self, settings: Settings, model: ChatModel) -> ChatTitler:
        """A clean cut of the question with the offline answerer, else the configured model writes the title."""
        return CutTitler() if settings.llm_base_url is None else ModelTitler(model)


class PgBackgroundWorkProvider(Provider):
    scope = Scope.REQUEST

    usage = provide(PgTokenUsageRepository, provides=TokenUsageRepository)
    contexts = provide(PgChatContextRepository, provides=ChatContextRepository)
    conversations = provide(PgConversationReader, provides=ConversationReader)
    lock = provide(PgChatJobLock, provides=ChatJobLock)
    stuck = provide(PgStuckWork, provides=StuckWork)
