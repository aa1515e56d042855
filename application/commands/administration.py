"""Administration commands: ``actor_id`` is the signed-in administrator, or None for the operator at the CLI."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from application.commands.base import Command, Query
from domain.signup import Invitation
from domain.users import User

if TYPE_CHECKING:  # results named in quotes in the bases below (ruff does not read those: noqa F401)
    from application.use_cases.admin.create_invitation import CreatedInvitation  # noqa: F401


class ListUsers(Query[list[User]], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class FindUserByEmail(Query[User | None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    email: str


class DisableUser(Command[User], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class EnableUser(Command[User], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class DeleteUser(Command[None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    user_id: uuid.UUID


class CreateInvitation(Command["CreatedInvitation"], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    email: str | None = None


class ListInvitations(Query[list[Invitation]], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None


class RevokeInvitation(Command[None], frozen=True, kw_only=True):
    actor_id: uuid.UUID | None
    invitation_id: uuid.UUID
