"""The administrator's routes: accounts, invitations and re-indexing. Anyone else gets 403 problem details
(the use cases decide, so the CLI and HTTP apply the same rule)."""

from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, post
from litestar.params import FromPath, JSONBody
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED, HTTP_202_ACCEPTED, HTTP_204_NO_CONTENT

from application.bus import CommandBus
from application.commands import (
    CreateInvitation,
    DeleteUser,
    DisableUser,
    EnableUser,
    GetReindexProgress,
    ListInvitations,
    ListUsers,
    RevokeInvitation,
    StartReindex,
)
from application.ports.clock import Clock
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.openapi import problems
from entrypoints.http.schemas.admin import (
    CreatedInvitationOut,
    CreateInvitationRequest,
    InvitationList,
    InvitationOut,
    ReindexProgressOut,
    ReindexRequest,
    ReindexStarted,
    UserList,
)
from entrypoints.http.schemas.auth import UserOut


class AdminController(Controller):
    path = "/admin"
    tags = ["admin"]
    dependencies = AUTHENTICATED

    @get("/users")
    @inject
    async def list_users(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> UserList:
        return UserList(items=[UserOut.of(u) for u in await bus.dispatch(ListUsers(actor_id=user_id))])

    @post("/users/{target_id:uuid}/disable", status_code=HTTP_200_OK)
    @inject
    async def disable_user(
        self, target_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> UserOut:
        """The account's tokens stop working at once and its open sockets close at their next check."""
        return UserOut.of(await bus.dispatch(DisableUser(actor_id=user_id, user_id=target_id)))

    @post("/users/{target_id:uuid}/enable", status_code=HTTP_200_OK)
    @inject
    async def enable_user(
        self, target_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> UserOut:
        return UserOut.of(await bus.dispatch(EnableUser(actor_id=user_id, user_id=target_id)))

    @delete("/users/{target_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_user(
        self, target_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> None:
        """Deletes the account with everything it owns: documents, files, chats, messages, usage, tokens."""
        await bus.dispatch(DeleteUser(actor_id=user_id, user_id=target_id))

    @get("/invitations")
    @inject
    async def list_invitations(
        self, user_id: CurrentUserId, bus: FromDishka[CommandBus], clock: FromDishka[Clock]
    ) -> InvitationList:
        invitations = await bus.dispatch(ListInvitations(actor_id=user_id))
        now = clock.now()
        return InvitationList(items=[InvitationOut.of(i, now) for i in invitations])

    @post("/invitations", status_code=HTTP_201_CREATED)
    @inject
    async def create_invitation(
        self,
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
        data: JSONBody[CreateInvitationRequest | None] = None,
    ) -> CreatedInvitationOut:
        """A single-use code that expires (RAGCHAT_INVITATION_TTL_SECONDS); it is shown only in this answer."""
        email = data.email if data else None
        return CreatedInvitationOut.of(await bus.dispatch(CreateInvitation(actor_id=user_id, email=email)))

    @delete("/invitations/{invitation_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def revoke_invitation(
        self, invitation_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> None:
        await bus.dispatch(RevokeInvitation(actor_id=user_id, invitation_id=invitation_id))

    @post("/reindex", status_code=HTTP_202_ACCEPTED, responses=problems(404))  # 404: no such account
    @inject
    async def start_reindex(
        self, user_id: CurrentUserId, bus: FromDishka[CommandBus], data: JSONBody[ReindexRequest | None] = None
    ) -> ReindexStarted:
        """Re-embeds every ready document (of one account with ``account_id``) with the current embedder, as
        background jobs; each document stays searchable on its old vectors until its new ones replace them.
        Asking again while jobs are queued queues nothing twice. Progress: ``GET /admin/reindex``."""
        target = data.account_id if data else None
        queued = await bus.dispatch(StartReindex(actor_id=user_id, user_id=target))
        return ReindexStarted(documents=queued.documents)

    @get("/reindex")
    @inject
    async def reindex_progress(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> ReindexProgressOut:
        """Re-embedding jobs still queued or running, and those that failed."""
        progress = await bus.dispatch(GetReindexProgress(actor_id=user_id))
        return ReindexProgressOut(queued=progress.queued, running=progress.running, failed=progress.failed)
