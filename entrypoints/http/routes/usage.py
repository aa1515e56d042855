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

    @classmethod
    def of(cls, totals: UsageTotals) -> TokensOut:
        return cls(totals.prompt_tokens, totals.completion_tokens, totals.total_tokens)


class ChatUsageOut(msgspec.Struct, frozen=True):
    chat_id: uuid.UUID
    title: str
    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class UsageOut(msgspec.Struct, frozen=True):
    total: TokensOut
    chats: list[ChatUsageOut]

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
                )
                for c in report.chats
            ],
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
