"""A CLI command that runs one use case: a container for the settings the flags name, one scoped dispatch."""

from __future__ import annotations

import argparse
from typing import TypeVar

from application.commands import Command
from entrypoints.cli.serve import settings_from
from entrypoints.ioc import make_container
from entrypoints.ioc.scoped_dispatch import dispatch_in_request

R = TypeVar("R")


async def dispatch_once(args: argparse.Namespace, command: Command[R]) -> R:
    container = make_container(settings_from(args))
    try:
        return await dispatch_in_request(container, command)
    finally:
        await container.close()
