"""The rolling memory fed to the model alongside the latest turns."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec


class ChatContext(msgspec.Struct, kw_only=True):
    chat_id: uuid.UUID
    summary: str = ""
    summarized_through: int = 0
    """Position of the last message folded into ``summary``; later ones are still fed verbatim."""
    updated_at: datetime | None = None
