"""Accounts: who may sign in, and who administers the server."""

from __future__ import annotations

import enum
import re
import uuid
from datetime import datetime

import msgspec

from domain.errors import AccountDisabled, Forbidden, InvalidInput
from domain.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, check_password_policy
from domain.text import check_text

__all__ = [
    "MAX_EMAIL_LENGTH",
    "MAX_PASSWORD_LENGTH",
    "MIN_PASSWORD_LENGTH",
    "RefreshToken",
    "Role",
    "User",
    "check_password_policy",
    "normalize_email",
    "role_for_new_account",
]

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 320


def normalize_email(raw: str) -> str:
    """Emails compare case-insensitively, so the stored form is trimmed and lower-cased once, here."""
    check_text(raw, "email")  # before trimming, as the wire schema checks it
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise InvalidInput("email is not a valid address", field="email")
    return email


class Role(enum.StrEnum):
    """``admin`` manages accounts and invitations; the first account created is the administrator."""

    ADMIN = "admin"
    MEMBER = "member"


class User(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    email: str
    password_hash: str
    created_at: datetime
    role: Role = Role.MEMBER
    disabled_at: datetime | None = None
    """Set while an administrator has disabled the account: it cannot sign in and its tokens stop working."""

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def is_disabled(self) -> bool:
        return self.disabled_at is not None

    def ensure_active(self) -> None:
        """Raises ``AccountDisabled``: every way in (password, refresh token, access token) asks this."""
        if self.is_disabled:
            raise AccountDisabled("this account is disabled; ask the server's administrator")

    def ensure_admin(self) -> None:
        if not self.is_admin or self.is_disabled:
            raise Forbidden("only the administrator may do this")

    def disable(self, now: datetime) -> None:
        """An administrator cannot be disabled: the server would be left without anyone to manage it."""
        self._ensure_not_admin("disabled")
        if self.disabled_at is None:
            self.disabled_at = now

    def enable(self) -> None:
        self.disabled_at = None

    def ensure_deletable(self) -> None:
        self._ensure_not_admin("deleted")

    def _ensure_not_admin(self, what: str) -> None:
        if self.is_admin:
            raise Forbidden(f"the administrator's account cannot be {what}")


def role_for_new_account(existing_accounts: int) -> Role:
    """The first account administers the server; every later one is a member."""
    return Role.ADMIN if existing_accounts == 0 else Role.MEMBER


class RefreshToken(msgspec.Struct, kw_only=True):
    """A stored refresh token (only its hash is kept).

    Tokens rotate: each refresh revokes the presented token and issues a new one in the same *family*.
    Presenting an already-revoked token means it leaked, so the whole family is revoked.
    """

    id: uuid.UUID
    user_id: uuid.UUID
    family_id: uuid.UUID
    token_hash: str
    expires_at: datetime
    revoked_at: datetime | None = None

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at
