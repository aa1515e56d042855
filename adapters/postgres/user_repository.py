from __future__ import annotations

import uuid
from collections.abc import Collection

from sqlalchemy import RowMapping, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_of, translate_errors
from adapters.postgres.tables import USERS_EMAIL_UNIQUE, users
from domain.errors import EmailAlreadyRegistered
from domain.users import Role, User

SIGN_UP_LOCK_SPACE = 0x726A_7375  # "rjsu": first key of the two-key advisory lock that serializes sign-ups
SIGN_UP_LOCK_KEY = 1


def _to_user(row: RowMapping) -> User:
    return User(
        id=row["id"],
        email=row["email"],
        password_hash=row["password_hash"],
        created_at=row["created_at"],
        role=Role(row["role"]),
        disabled_at=row["disabled_at"],
    )


class PgUserRepository:
    """Emails are stored lower-cased; a CHECK constraint guarantees it, so the unique index is case-blind.

    Deleting a user relies on the foreign keys: refresh tokens, documents (and their chunks), chats (and their
    messages and context), token usage and the invitations they made go with the row.
    """

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, user: User) -> None:
        values = {
            "id": user.id,
            "email": user.email.lower(),
            "password_hash": user.password_hash,
            "created_at": user.created_at,
            "role": user.role.value,
            "disabled_at": user.disabled_at,
        }
        try:
            async with self._session.begin_nested():  # a savepoint keeps the request's transaction usable
                await self._session.execute(insert(users).values(values))
        except IntegrityError as exc:
            if constraint_of(exc) == USERS_EMAIL_UNIQUE:
                raise EmailAlreadyRegistered("an account with this email already exists") from None
            raise

    @translate_errors
    async def get(self, user_id: uuid.UUID) -> User | None:
        row = (await self._session.execute(select(users).where(users.c.id == user_id))).mappings().first()
        return None if row is None else _to_user(row)

    @translate_errors
    async def inactive_among(self, user_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(user_ids)
        if not wanted:
            return set()
        query = select(users.c.id).where(users.c.id.in_(wanted), users.c.disabled_at.is_(None))
        active = set((await self._session.execute(query)).scalars())
        return set(wanted) - active

    @translate_errors
    async def get_by_email(self, email: str) -> User | None:
        query = select(users).where(users.c.email == email.strip().lower())
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_user(row)

    @translate_errors
    async def lock_sign_ups(self) -> None:
        """A transaction-level advisory lock: released by the commit (or rollback) that ends the sign-up."""
        await self._session.execute(select(func.pg_advisory_xact_lock(SIGN_UP_LOCK_SPACE, SIGN_UP_LOCK_KEY)))

    @translate_errors
    async def count(self) -> int:
        return int((await self._session.execute(select(func.count()).select_from(users))).scalar_one())

    @translate_errors
    async def list_all(self) -> list[User]:
        rows = (await self._session.execute(select(users).order_by(users.c.created_at, users.c.id))).mappings()
        return [_to_user(row) for row in rows]

    @translate_errors
    async def update(self, user: User) -> None:
        await self._session.execute(
            update(users).where(users.c.id == user.id).values(role=user.role.value, disabled_at=user.disabled_at)
        )

    @translate_errors
    async def delete(self, user_id: uuid.UUID) -> bool:
        statement = delete(users).where(users.c.id == user_id).returning(users.c.id)
        return (await self._session.execute(statement)).first() is not None
