"""The bus runs a query (``Query``) in a read-only unit of work of its own, ended when it returns; a query
dispatched inside a unit already under way joins it. In-memory twins: a write in a read-only unit raises."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from application.bus import CommandBus
from application.commands import Command, Query
from application.ports.unit_of_work import UnitOfWork
from tests.contract.persistence import new_user
from tests.support.twins.store import MemorySession, MemoryStore
from tests.support.twins.unit_of_work import MemoryUnitOfWork
from tests.support.twins.user_repository import MemoryUserRepository


class CountUsers(Query[int], frozen=True, kw_only=True):
    pass


class SneakyWrite(Query[None], frozen=True, kw_only=True):
    """A query whose use case (wrongly) writes."""


class AddUser(Command[int], frozen=True, kw_only=True):
    """Adds a user, then asks ``CountUsers`` through the bus, inside its own unit."""


class Scope:
    """One request's worth of twins and a bus resolving from them."""

    def __init__(self, store: MemoryStore) -> None:
        self.session = MemorySession(store)
        self.users = MemoryUserRepository(self.session)
        self.uow = MemoryUnitOfWork(self.session)
        self.store = store
        self.bus = CommandBus({CountUsers: CountUsersCase, SneakyWrite: SneakyWriteCase, AddUser: AddUserCase},
                              self.resolve)

    async def resolve(self, kind: type) -> Any:
        if kind is UnitOfWork:
            return self.uow
        return kind(self)


class CountUsersCase:
    def __init__(self, scope: Scope) -> None:
        self._scope = scope

    async def __call__(self, query: CountUsers) -> int:
        return len(self._scope.store.users)


class SneakyWriteCase:
    def __init__(self, scope: Scope) -> None:
        self._scope = scope

    async def __call__(self, query: SneakyWrite) -> None:
        await self._scope.users.add(new_user())


class AddUserCase:
    def __init__(self, scope: Scope) -> None:
        self._scope = scope

    async def __call__(self, command: AddUser) -> int:
        await self._scope.users.add(new_user())
        return await self._scope.bus.dispatch(CountUsers())


async def test_a_query_runs_in_a_read_only_unit_and_ends_it() -> None:
    scope = Scope(MemoryStore())
    assert await scope.bus.dispatch(CountUsers()) == 0
    assert scope.uow.commits == 1  # the unit ended with the query
    await scope.users.add(new_user())  # the next unit is an ordinary one again: it can write, and undo
    scope.session.rollback()
    assert scope.store.users == {}


async def test_a_query_whose_use_case_writes_fails_and_leaves_nothing() -> None:
    scope = Scope(MemoryStore())
    with pytest.raises(AssertionError, match="read-only"):
        await scope.bus.dispatch(SneakyWrite())
    assert scope.store.users == {}
    await scope.users.add(new_user())  # the failed unit ended too
    assert len(scope.store.users) == 1


async def test_a_query_inside_a_unit_under_way_joins_it() -> None:
    scope = Scope(MemoryStore())
    assert await scope.bus.dispatch(AddUser()) == 1  # the query saw the unit's own write
    assert scope.uow.commits == 0  # and did not commit it: the command's unit goes on
    scope.session.rollback()
    assert scope.store.users == {}


def test_the_bus_is_not_asked_for_a_unit_of_work_for_a_command() -> None:
    asked: list[type] = []

    async def resolve(kind: type) -> Any:
        asked.append(kind)
        raise LookupError(kind)

    bus = CommandBus({AddUser: AddUserCase}, resolve)
    with pytest.raises(LookupError):
        asyncio.run(bus.dispatch(AddUser()))
    assert asked == [AddUserCase]
