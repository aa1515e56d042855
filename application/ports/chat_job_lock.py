from __future__ import annotations

import uuid
from contextlib import AbstractAsyncContextManager
from typing import Protocol


class ChatJobLock(Protocol):
    """Serializes a chat's background jobs (summaries) across workers and processes.

    ``hold(chat_id)`` waits for the chat's lock and keeps it until the request's transaction ends, so the
    holder commits inside the block: the next holder then reads what this one wrote. Raises
    ``StorageUnavailable``.
    """

    def hold(self, chat_id: uuid.UUID) -> AbstractAsyncContextManager[None]: ...
