from __future__ import annotations

from application.commands import RecordTokenUsage
from application.ports.token_usage_repository import TokenUsageRepository
from application.ports.unit_of_work import UnitOfWork
from domain.usage import TokenUsage


class RecordTokenUsageHandler:
    """Job: stores an answer's token usage. An upsert keyed by the message id, so arq's at-least-once
    delivery (or a manual retry) never double-counts. Raises ``StorageUnavailable`` (retried)."""

    def __init__(self, usage: TokenUsageRepository, uow: UnitOfWork) -> None:
        self._usage = usage
        self._uow = uow

    async def __call__(self, command: RecordTokenUsage) -> TokenUsage:
        usage = TokenUsage(
            message_id=command.message_id,
            chat_id=command.chat_id,
            user_id=command.owner_id,
            prompt_tokens=max(command.prompt_tokens, 0),
            completion_tokens=max(command.completion_tokens, 0),
            estimated=command.estimated,
        )
        await self._usage.record(usage)
        await self._uow.commit()
        return usage
