"""`ragchat create-user`: accounts for scripted setups (the password comes from stdin, never argv). The operator
is trusted whatever the sign-up mode, so this is how a closed server gets its accounts."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys

from application.bus import CommandBus
from application.commands import RegisterUser
from domain.errors import DomainError
from entrypoints.cli.serve import settings_from
from entrypoints.ioc import make_container


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    create = sub.add_parser("create-user", help="create an account")
    create.add_argument("email")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(run=run_create_user)


def run_create_user(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    password = sys.stdin.readline().rstrip("\n") if args.password_stdin else getpass.getpass("password: ")

    async def create() -> str:
        container = make_container(settings)
        try:
            async with container() as request:
                bus = await request.get(CommandBus)
                user = await bus.dispatch(RegisterUser(email=args.email, password=password, by_operator=True))
                return str(user.id)
        finally:
            await container.close()

    try:
        print(asyncio.run(create()))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    return 0
