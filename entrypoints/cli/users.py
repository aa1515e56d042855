"""`ragchat users list|disable|enable|delete|invite`: the operator's account management.

The operator (whoever can run commands on the server) acts with the administrator's powers, so these work
before any administrator exists, e.g. to invite the first account of an invite-only server.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import uuid

from application.commands import CreateInvitation, DeleteUser, DisableUser, EnableUser, ListUsers
from domain.errors import DomainError, NotFound
from domain.users import User
from entrypoints.cli.one_command import dispatch_once
from entrypoints.cli.serve import settings_from
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    users = sub.add_parser("users", help="list, disable, enable or delete accounts; invite someone")
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    actions.add_parser("list", help="every account, oldest first").set_defaults(run=run_list)
    for name, helptext in (
        ("disable", "sign the account out everywhere and refuse its sign-ins"),
        ("enable", "let a disabled account sign in again"),
        ("delete", "delete the account and everything it owns (documents, files, chats, usage)"),
    ):
        action = actions.add_parser(name, help=helptext)
        action.add_argument("user", metavar="EMAIL_OR_ID")
        if name == "delete":
            action.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        action.set_defaults(run=run_change, change=name)
    invite = actions.add_parser("invite", help="make a single-use invitation code")
    invite.add_argument("--email", help="only this address may sign up with the code")
    invite.set_defaults(run=run_invite)


def format_users(users: list[User]) -> str:
    rows = [("ID", "EMAIL", "ROLE", "STATUS", "CREATED")]
    rows += [
        (str(u.id), u.email, u.role.value, "disabled" if u.is_disabled else "active", f"{u.created_at:%Y-%m-%d %H:%M}")
        for u in users
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in rows)


def _resolve(users: list[User], who: str) -> uuid.UUID:
    """An account by id or (case-insensitive) email, as the operator types it."""
    for user in users:
        if str(user.id) == who.strip() or user.email == who.strip().lower():
            return user.id
    raise NotFound(f"no account {who}")


def run_list(args: argparse.Namespace) -> int:
    users = asyncio.run(dispatch_once(args, ListUsers(actor_id=None)))
    print(format_users(users) if users else "no accounts")
    return 0


def run_change(args: argparse.Namespace) -> int:
    if args.change == "delete" and not args.yes:
        answer = input(f"delete {args.user} and everything it owns? [y/N] ") if sys.stdin.isatty() else ""
        if answer.strip().lower() not in ("y", "yes"):
            print("ragchat: not deleted (pass --yes to confirm)", file=sys.stderr)
            return 1
    change = {"disable": DisableUser, "enable": EnableUser, "delete": DeleteUser}[args.change]

    async def apply() -> None:
        container = make_container(settings_from(args))
        try:
            users = await dispatch_in_request(container, ListUsers(actor_id=None))
            await dispatch_in_request(container, change(actor_id=None, user_id=_resolve(users, args.user)))
        finally:
            await container.close()

    try:
        asyncio.run(apply())
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    print(f"{args.user}: {args.change}d")
    return 0


def run_invite(args: argparse.Namespace) -> int:
    try:
        created = asyncio.run(dispatch_once(args, CreateInvitation(actor_id=None, email=args.email)))
    except DomainError as exc:
        print(f"ragchat: {exc.message}", file=sys.stderr)
        return 1
    print(created.code)
    for_whom = f" for {created.invitation.email}" if created.invitation.email else ""
    print(f"single use{for_whom}, valid until {created.invitation.expires_at:%Y-%m-%d %H:%M %Z}", file=sys.stderr)
    return 0
