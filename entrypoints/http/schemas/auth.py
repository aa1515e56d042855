"""Wire shapes of the account endpoints (what other clients rely on; see the README)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.users import User
from entrypoints.http.schemas.text import Email, Password


class Credentials(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email = msgspec.field()
    password: Password = msgspec.field()


class RefreshRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    refresh_token: str


class UserOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    email: str
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, created_at=user.created_at)
