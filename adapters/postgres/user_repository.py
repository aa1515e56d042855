from __future__ import annotations

import uuid

from sqlalchemy import RowMapping, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.postgres.errors import constraint_of, translate_errors
from adapters.postgres.tables import USERS_EMAIL_UNIQUE, users
from domain.errors import EmailAlreadyRegistered
from domain.users import User


def _to_user(row: RowMapping) -> User:
    return User(
        id=row["id"], email=row["email"], password_hash=row["password_hash"], created_at=row["created_at"]
    )


class PgUserRepository:
    """Emails are stored lower-cased; a CHECK constraint guarantees it, so the unique index is case-blind."""

    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    @translate_errors
    async def add(self, user: User) -> None:
        values = {
            "id": user.id,
            "email": user.email.lower(),
            "password_hash": user.password_hash,
            "created_at": user.created_at,
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
    async def get_by_email(self, email: str) -> User | None:
        query = select(users).where(users.c.email == email.strip().lower())
        row = (await self._session.execute(query)).mappings().first()
        return None if row is None else _to_user(row)
