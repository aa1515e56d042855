"""Wire shapes of the administrator's endpoints (``/admin/...``)."""

from __future__ import annotations

import uuid
from datetime import datetime

import msgspec

from application.use_cases.admin.create_invitation import CreatedInvitation
from domain.signup import Invitation, InvitationStatus
from entrypoints.http.schemas.auth import UserOut
from entrypoints.http.schemas.text import Email


class UserList(msgspec.Struct, frozen=True):
    items: list[UserOut]


class CreateInvitationRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    email: Email | None = None
    """When given, only this address can sign up with the code."""


class InvitationOut(msgspec.Struct, frozen=True):
    id: uuid.UUID
    status: InvitationStatus
    created_at: datetime
    expires_at: datetime
    email: str | None = None
    used_at: datetime | None = None
    used_by: uuid.UUID | None = None

    @classmethod
    def of(cls, invitation: Invitation, now: datetime) -> InvitationOut:
        return cls(
            id=invitation.id,
            status=invitation.status(now),
            created_at=invitation.created_at,
            expires_at=invitation.expires_at,
            email=invitation.email,
            used_at=invitation.used_at,
            used_by=invitation.used_by,
        )


class CreatedInvitationOut(msgspec.Struct, frozen=True):
    invitation: InvitationOut
    code: str
    """Shown this once: hand it to the invitee (only its hash is stored)."""

    @classmethod
    def of(cls, created: CreatedInvitation) -> CreatedInvitationOut:
        invitation = created.invitation
        return cls(invitation=InvitationOut.of(invitation, invitation.created_at), code=created.code)


class InvitationList(msgspec.Struct, frozen=True):
    items: list[InvitationOut]


class ReindexRequest(msgspec.Struct, frozen=True, forbid_unknown_fields=True):
    account_id: uuid.UUID | None = None
    """Only this account's documents; absent: everyone's. (Not ``user_id``: Litestar would take a body field
    named like the route's ``user_id`` dependency for that dependency and answer a bad value with a 500.)"""


class ReindexStarted(msgspec.Struct, frozen=True):
    documents: int
    """Ready documents queued for re-embedding (each stays searchable until its new passages replace the old)."""


class ReindexProgressOut(msgspec.Struct, frozen=True):
    queued: int
    running: int
    failed: int
    """Re-embedding jobs that gave up (``ragchat jobs`` shows why); their documents keep their previous
    passages."""
