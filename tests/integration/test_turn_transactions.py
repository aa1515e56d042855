"""A chat turn's database work on real PostgreSQL: its reads without a transaction, the answer's write in one,
and none left open while the model streams; a request's queries without BEGIN/COMMIT round trips either."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import msgspec
import pytest
from dishka import AsyncContainer
from sqlalchemy import event, make_url, text
from sqlalchemy.ext.asyncio import AsyncEngine

from application.bus import CommandBus
from application.commands import GetMe, ListChats, ProcessInbox, RenameChat, SendMessage
from domain.stages import Stage
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request
from entrypoints.settings_loading import load_settings
from tests.contract.persistence import new_chat, postgres_backend, seed_user
from tests.support.memory_app import RecordingJobsProvider
from tests.support.scripted_llm_server import Reply, ScriptedLLMServer

LONG = 60.0
IDLE_IN_TRANSACTION = (
    "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'ragchat' AND datname = :database "
    "AND state LIKE 'idle in transaction%'"
)


@pytest.fixture
async def model() -> AsyncIterator[ScriptedLLMServer]:
    async with ScriptedLLMServer() as server:
        yield server


@pytest.fixture
async def container(pg_url: str, model: ScriptedLLMServer, tmp_path: Any) -> AsyncIterator[AsyncContainer]:
    settings = load_settings(
        {}, database_url=pg_url, data_dir=str(tmp_path), embedder="hashing", jwt_secret="turn-test-" + "x" * 32,
        llm_base_url=model.base_url, llm_model="scripted", token_coalesce_ms=0,
    )  # fmt: skip
    container = make_container(settings, RecordingJobsProvider())
    yield container
    await container.close()


@pytest.mark.parametrize("stage", [Stage.TEST, Stage.ANSWERING])
async def test_a_turn_reads_in_one_transaction_and_holds_none_while_the_model_streams(
    container: AsyncContainer, model: ScriptedLLMServer, pg_url: str, pg_admin_engine: AsyncEngine, stage: Stage
) -> None:
    engine = await container.get(AsyncEngine)
    backend = postgres_backend(engine)
    owner = await seed_user(backend)
    chat = msgspec.structs.replace(new_chat(owner.id), stage=stage)  # ANSWERING: the documents searched too
    async with backend() as request:
        await request.chats.add(chat)
        await request.uow.commit()
    resume = asyncio.Event()
    model.script(Reply(tokens=["Cats", " sleep", " a lot."], pause_after=1, resume=resume))
    await dispatch_in_request(
        container, SendMessage(owner_id=owner.id, chat_id=chat.id, client_msg_id=str(uuid.uuid4()), text="hi")
    )
    transactions: list[object] = []
    event.listen(engine.sync_engine, "begin", transactions.append)
    sent = _statements_sent(engine)

    turn = asyncio.create_task(dispatch_in_request(container, ProcessInbox(owner_id=owner.id, chat_id=chat.id)))
    async with asyncio.timeout(LONG):
        await model.wait_for_requests(1)
    async with pg_admin_engine.connect() as probe:
        database = make_url(pg_url).database
        idle_in_transaction = (await probe.execute(text(IDLE_IN_TRANSACTION), {"database": database})).scalar_one()
    reads = len(transactions)
    begun_before_the_model = sent.count("BEGIN")
    resume.set()
    async with asyncio.timeout(LONG):
        assert await turn == 1

    assert idle_in_transaction == 0  # the model is mid-answer: no connection waits with it
    # the inbox's reads (chat, question) and the turn's (history, summary) together; the search's two legs
    # on connections of their own
    assert reads == (1 if stage is Stage.TEST else 3)
    assert len(transactions) == reads + 1  # then the answer and the question's status, written together
    assert begun_before_the_model == 0  # the reads and the search ran without BEGIN/COMMIT (``reads_only``)
    assert sent.count("BEGIN") == 1  # the answer's write is a transaction


async def test_a_requests_queries_send_no_begin_and_its_command_still_commits_as_one(
    container: AsyncContainer,
) -> None:
    """As an HTTP request runs them: the identity check (a query), a listing (a query), then a change (a
    command), in one dependency-injection scope."""
    engine = await container.get(AsyncEngine)
    backend = postgres_backend(engine)
    owner = await seed_user(backend)
    chat = new_chat(owner.id)
    async with backend() as request:
        await request.chats.add(chat)
        await request.uow.commit()
    sent = _statements_sent(engine)
    async with container() as scope:
        bus = await scope.get(CommandBus)
        await bus.dispatch(GetMe(user_id=owner.id))
        assert [listed.id for listed in await bus.dispatch(ListChats(owner_id=owner.id))] == [chat.id]
        queried = list(sent)
        await bus.dispatch(RenameChat(owner_id=owner.id, chat_id=chat.id, title="Renamed"))

    assert "BEGIN" not in queried and "COMMIT" not in queried
    assert sent[len(queried):] == ["BEGIN", "COMMIT"]  # the change: one transaction
    async with backend() as request:
        renamed = await request.chats.get(owner.id, chat.id)
    assert renamed is not None and renamed.title == "Renamed"


def _statements_sent(engine: AsyncEngine) -> list[str]:
    """The first word of every simple-protocol statement asyncpg sends on the engine's connections from now on:
    BEGIN, COMMIT and ROLLBACK (prepared statements, which SQLAlchemy uses for everything else, are not
    logged)."""
    sent: list[str] = []

    def log(query: Any) -> None:
        sent.append(query.query.split(None, 1)[0].upper().rstrip(";") if query.query.strip() else "")

    def on_checkout(dbapi_connection: Any, *_: object) -> None:
        driver = dbapi_connection.driver_connection
        if log not in getattr(driver, "_query_loggers", ()):
            driver.add_query_logger(log)

    event.listen(engine.sync_engine, "checkout", on_checkout)
    return sent
