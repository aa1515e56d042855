"""Wire shapes of the account endpoints (what other clients rely on; see the README)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from domain.signup import SignupMode
from domain.users import Role, User
from entrypoints.http.schemas.text import Email, InviteCode, Password


class Credentials(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email = msgspec.field()
    password: Password = msgspec.field()


class SignUp(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email
    password: Password
    invite_code: InviteCode | None = None
    """Required when the server's sign-up mode is ``invite`` (see ``GET /auth/signup``)."""


class SignupInfo(msgspec.Struct, frozen=True):
    mode: SignupMode
    """``open``: anyone may sign up; ``invite``: with an invitation code; ``closed``: no sign-up."""
    min_password_length: int


class RefreshRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    refresh_token: str


class UserOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    email: str
    created_at: datetime
    role: Role
    disabled: bool = False

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, created_at=user.created_at, role=user.role,
                   disabled=user.is_disabled)
