"""The open sockets' accounts are checked together: one question per interval for every watched account, and
only the sockets of an inactive account hear of it."""

from __future__ import annotations

import asyncio
import uuid

from entrypoints.http.chat_socket.account_watch import AccountWatch

LONG = 30.0


class Accounts:
    """Answers the watch's question from a set of inactive accounts, and records what it was asked."""

    def __init__(self, inactive: set[uuid.UUID], failures: int = 0) -> None:
        self.inactive = inactive
        self.asked: list[frozenset[uuid.UUID]] = []
        self.failures = failures
        self.answered = asyncio.Event()

    async def find_inactive(self, user_ids: frozenset[uuid.UUID]) -> frozenset[uuid.UUID]:
        self.asked.append(user_ids)
        if self.failures:
            self.failures -= 1
            raise ConnectionError("the database is down")
        self.answered.set()
        return frozenset(user_ids & self.inactive)


async def test_one_question_covers_every_socket_and_only_the_inactive_accounts_sockets_are_told() -> None:
    disabled, active = uuid.uuid4(), uuid.uuid4()
    accounts = Accounts({disabled})
    watch = AccountWatch(3600, accounts.find_inactive)
    try:
        with watch.watch(disabled) as first, watch.watch(disabled) as second, watch.watch(active) as other:
            await watch.check_now()
            assert accounts.asked == [frozenset({disabled, active})]
            assert first.is_set() and second.is_set() and not other.is_set()
        await watch.check_now()  # no socket is open any more: nothing to ask
        assert len(accounts.asked) == 1
    finally:
        await watch.close()


async def test_the_check_repeats_every_interval_and_outlives_a_failed_one() -> None:
    disabled = uuid.uuid4()
    accounts = Accounts({disabled}, failures=1)
    watch = AccountWatch(0.01, accounts.find_inactive)
    try:
        with watch.watch(disabled) as revoked:
            async with asyncio.timeout(LONG):
                await revoked.wait()
        assert len(accounts.asked) >= 2 and accounts.answered.is_set()
    finally:
        await watch.close()
