"""`GET /me/usage`: the caller's token usage, overall and per chat (recorded by the `RecordTokenUsage` job)."""

from __future__ import annotations

import uuid

import msgspec
from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, get

from application.bus import CommandBus
from application.commands import GetUsage
from application.use_cases.jobs.get_usage import UsageReport
from domain.usage import UsageTotals
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId


class TokensOut(msgspec.Struct, frozen=True):
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    estimated_tokens: int
    """How many of ``total_tokens`` ragchat counted itself because the model reported no usage (the offline
    answerer never does): estimates, which may differ from what a provider bills."""

    @classmethod
    def of(cls, totals: UsageTotals) -> TokensOut:
        return cls(totals.prompt_tokens, totals.completion_tokens, totals.total_tokens, totals.estimated_tokens)


class ChatUsageOut(msgspec.Struct, frozen=True):
    chat_id: uuid.UUID
    title: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int
    estimated_tokens: int


class UsageOut(msgspec.Struct, frozen=True):
    total: TokensOut
    """Everything spent, deleted chats included: the sum of ``chats`` and ``deleted_chats``."""
    chats: list[ChatUsageOut]
    deleted_chats: TokensOut
    """What chats deleted since had spent (their tokens were used all the same)."""

    @classmethod
    def of(cls, report: UsageReport) -> UsageOut:
        return cls(
            total=TokensOut.of(report.total),
            chats=[
                ChatUsageOut(
                    chat_id=c.chat_id,
                    title=c.title,
                    prompt_tokens=c.totals.prompt_tokens,
                    completion_tokens=c.totals.completion_tokens,
                    total_tokens=c.totals.total_tokens,
                    estimated_tokens=c.totals.estimated_tokens,
                )
                for c in report.chats
            ],
            deleted_chats=TokensOut.of(report.deleted_chats),
        )


class UsageController(Controller):
    path = "/me/usage"
    tags = ["usage"]
    dependencies = AUTHENTICATED

    @get("/")
    @inject
    async def usage(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> UsageOut:
        """Tokens are recorded by a background job shortly after each answer, so the newest may lag a moment."""
        return UsageOut.of(await bus.dispatch(GetUsage(user_id=user_id)))
