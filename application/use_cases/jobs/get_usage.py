from __future__ import annotations

import msgspec

from application.commands import GetUsage
from application.ports.token_usage_repository import ChatUsage, TokenUsageRepository
from domain.usage import UsageTotals


class UsageReport(msgspec.Struct, kw_only=True, frozen=True):
    total: UsageTotals
    chats: list[ChatUsage]
    deleted_chats: UsageTotals
    """What chats deleted since had spent: ``total`` is the sum of ``chats`` and this."""


class GetUsageHandler:
    """The caller's token usage: overall and per chat, deleted chats included as one row.

    Deleting a chat does not give back what it cost (a provider bills the tokens all the same), so the total
    keeps them; listing them as "deleted chats" makes the rows add up to the total."""

    def __init__(self, usage: TokenUsageRepository) -> None:
        self._usage = usage

    async def __call__(self, command: GetUsage) -> UsageReport:
        total = await self._usage.totals(command.user_id)
        chats = await self._usage.per_chat(command.user_id)
        existing = sum((c.totals for c in chats), UsageTotals())
        deleted = total - existing
        if min(deleted.prompt_tokens, deleted.completion_tokens, deleted.estimated_tokens) < 0:
            deleted = UsageTotals()  # a usage recorded between the two reads: it shows in full next time
        return UsageReport(total=existing + deleted, chats=chats, deleted_chats=deleted)
