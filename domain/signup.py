"""Who may create an account: the sign-up mode, and invitations an administrator hands out."""

from __future__ import annotations

import enum
import uuid
from datetime import datetime

import msgspec

from domain.errors import InvalidInput, InvitationRequired, SignupClosed

INVITE_CODE_FIELD = "invite_code"


class SignupMode(enum.StrEnum):
    """``open``: anyone who reaches the server; ``invite``: only with an invitation code; ``closed``: nobody
    over HTTP (the operator still creates accounts with ``ragchat create-user``)."""

    OPEN = "open"
    INVITE = "invite"
    CLOSED = "closed"

    def ensure_allows(self, *, with_invitation: bool) -> None:
        """Raises ``SignupClosed`` or ``InvitationRequired`` when a self-service sign-up is not allowed."""
        if self is SignupMode.CLOSED:
            raise SignupClosed("sign-up is closed on this server; ask its administrator for an account")
        if self is SignupMode.INVITE and not with_invitation:
            raise InvitationRequired("sign-up on this server needs an invitation code from its administrator")


class InvitationStatus(enum.StrEnum):
    PENDING = "pending"
    USED = "used"
    EXPIRED = "expired"


class Invitation(msgspec.Struct, kw_only=True):
    """A single-use, expiring permission to create one account; only the code's hash is stored."""

    id: uuid.UUID
    code_hash: str
    created_at: datetime
    expires_at: datetime
    created_by: uuid.UUID | None = None
    """The administrator who made it; None when the operator made it with ``ragchat users invite``."""
    email: str | None = None
    """When set, only this (normalized) address may sign up with the code."""
    used_at: datetime | None = None
    used_by: uuid.UUID | None = None

    def status(self, now: datetime) -> InvitationStatus:
        if self.used_at is not None:
            return InvitationStatus.USED
        if now >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    def ensure_redeemable(self, email: str, now: datetime) -> None:
        """Raises ``InvalidInput`` on the ``invite_code`` field: used, expired, or meant for someone else."""
        status = self.status(now)
        if status is InvitationStatus.USED:
            raise used_invitation()
        if status is InvitationStatus.EXPIRED:
            raise InvalidInput("this invitation code has expired; ask for a new one", field=INVITE_CODE_FIELD)
        if self.email is not None and self.email != email:
            raise InvalidInput("this invitation code is for another email address", field=INVITE_CODE_FIELD)


def unknown_invitation() -> InvalidInput:
    return InvalidInput("this invitation code is not valid", field=INVITE_CODE_FIELD)


def used_invitation() -> InvalidInput:
    return InvalidInput("this invitation code has already been used", field=INVITE_CODE_FIELD)
