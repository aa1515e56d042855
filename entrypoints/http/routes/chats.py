from __future__ import annotations

import uuid

from dishka.integrations.litestar import FromDishka, inject
from litestar import Controller, delete, get, patch, post
from litestar.params import FromPath, JSONBody, Parameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_204_NO_CONTENT

from application.bus import CommandBus
from application.commands import (
    CreateChat,
    DeleteChat,
    GetChat,
    ListChats,
    ListModels,
    ScopeChange,
    UpdateChat,
)
from application.use_cases.chats.list_chats import MAX_SEARCH_RESULTS
from domain.chats import MAX_SEARCH_LENGTH, ChatSettings
from domain.text import MULTI_LINE_PATTERN
from entrypoints.http.auth import AUTHENTICATED, CurrentUserId
from entrypoints.http.schemas.chats import (
    ChatHistoryOut,
    ChatList,
    ChatOut,
    CreateChatRequest,
    ModelList,
    UpdateChatRequest,
)
from entrypoints.http.schemas.text import MAX_INT32


class ChatsController(Controller):
    path = "/chats"
    tags = ["chats"]
    dependencies = AUTHENTICATED

    @post("/", status_code=HTTP_201_CREATED)
    @inject
    async def create_chat(
        self, user_id: CurrentUserId, bus: FromDishka[CommandBus], data: JSONBody[CreateChatRequest | None] = None
    ) -> ChatOut:
        data = data or CreateChatRequest()
        return ChatOut.of(await bus.dispatch(CreateChat(owner_id=user_id, title=data.title, stage=data.stage)))

    @get("/")
    @inject
    async def list_chats(
        self,
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
        q: str | None = Parameter(default=None, max_length=MAX_SEARCH_LENGTH, pattern=MULTI_LINE_PATTERN,
                                  description="only chats whose title or a message contains this (any case); "
                                              f"at most {MAX_SEARCH_RESULTS}"),
    ) -> ChatList:
        chats = await bus.dispatch(ListChats(owner_id=user_id, query=q))
        return ChatList(items=[ChatOut.of(c) for c in chats])

    @get("/{chat_id:uuid}")
    @inject
    async def get_chat(
        self,
        chat_id: FromPath[uuid.UUID],
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
        before: int | None = Parameter(default=None, ge=1, le=MAX_INT32,
                                       description="the position to page back from (a page's next_before)"),
        limit: int = Parameter(default=50, ge=1, le=200),
    ) -> ChatHistoryOut:
        history = await bus.dispatch(GetChat(owner_id=user_id, chat_id=chat_id, before=before, limit=limit))
        return ChatHistoryOut.of(history)

    @patch("/{chat_id:uuid}")
    @inject
    async def update_chat(
        self,
        chat_id: FromPath[uuid.UUID],
        data: JSONBody[UpdateChatRequest],
        user_id: CurrentUserId,
        bus: FromDishka[CommandBus],
    ) -> ChatOut:
        scope = None if data.scope is None else ScopeChange(document_ids=data.scope.document_ids, tags=data.scope.tags)
        settings = None if data.settings is None else ChatSettings(
            model=data.settings.model, instructions=data.settings.instructions, temperature=data.settings.temperature,
        )
        chat = await bus.dispatch(UpdateChat(owner_id=user_id, chat_id=chat_id, title=data.title, stage=data.stage,
                                             scope=scope, settings=settings, pinned=data.pinned))
        return ChatOut.of(chat)

    @delete("/{chat_id:uuid}", status_code=HTTP_204_NO_CONTENT)
    @inject
    async def delete_chat(
        self, chat_id: FromPath[uuid.UUID], user_id: CurrentUserId, bus: FromDishka[CommandBus]
    ) -> None:
        await bus.dispatch(DeleteChat(owner_id=user_id, chat_id=chat_id))


class ModelsController(Controller):
    path = "/models"
    tags = ["chats"]
    dependencies = AUTHENTICATED

    @get("/")
    @inject
    async def list_models(self, user_id: CurrentUserId, bus: FromDishka[CommandBus]) -> ModelList:
        """The models a chat's settings may name: the provider's ``/v1/models`` (cached for a minute) with the
        configured default first; only the built-in answerer without a configured model."""
        return ModelList.of(await bus.dispatch(ListModels(owner_id=user_id)))
