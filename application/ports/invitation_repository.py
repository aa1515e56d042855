from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from domain.signup import Invitation


class InvitationRepository(Protocol):
    async def add(self, invitation: Invitation) -> None: ...

    async def get_by_code_hash(self, code_hash: str) -> Invitation | None: ...

    async def mark_used(self, invitation_id: uuid.UUID, user_id: uuid.UUID, now: datetime) -> bool:
        """Records the redemption; False when it was already used (a concurrent sign-up won the code)."""
        ...

    async def list_all(self) -> list[Invitation]:
        """Newest first."""
        ...

    async def delete(self, invitation_id: uuid.UUID) -> bool: ...
