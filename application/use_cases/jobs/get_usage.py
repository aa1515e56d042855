from __future__ import annotations

import msgspec

from application.commands import GetUsage
from application.ports.token_usage_repository import ChatUsage, TokenUsageRepository
from domain.usage import UsageTotals


class UsageReport(msgspec.Struct, kw_only=True, frozen=True):
    total: UsageTotals
    chats: list[ChatUsage]


class GetUsageHandler:
    """The caller's token usage: overall (deleted chats included) and per existing chat."""

    def __init__(self, usage: TokenUsageRepository) -> None:
        self._usage = usage

    async def __call__(self, command: GetUsage) -> UsageReport:
        return UsageReport(
            total=await self._usage.totals(command.user_id),
            chats=await self._usage.per_chat(command.user_id),
        )
