"""Accounts."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

import msgspec

from domain.errors import InvalidInput
from domain.text import check_text

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_EMAIL_LENGTH = 320
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024  # argon2 hashes anything, but a megabyte password is an attack, not a password


def normalize_email(raw: str) -> str:
    """Emails compare case-insensitively, so the stored form is trimmed and lower-cased once, here."""
    check_text(raw.strip(), "email")
    email = raw.strip().lower()
    if len(email) > MAX_EMAIL_LENGTH or not _EMAIL.match(email):
        raise InvalidInput("email is not a valid address", field="email")
    return email


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at least {MIN_PASSWORD_LENGTH} characters", field="password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(f"password must be at most {MAX_PASSWORD_LENGTH} characters", field="password")


class User(msgspec.Struct, kw_only=True):
    id: uuid.UUID
    email: str
    password_hash: str
    created_at: datetime


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
