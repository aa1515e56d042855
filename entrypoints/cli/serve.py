"""`ragchat serve` (the API, WebSocket, web UI and, in embedded mode, background jobs) and `ragchat migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import socket
import sys
from pathlib import Path

from entrypoints.logging_setup import configure_logging
from entrypoints.settings import Settings
from entrypoints.settings_loading import load_settings

log = logging.getLogger("ragchat")
FRONTEND_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="serve the API, WebSocket and web UI")
    serve.add_argument("--host", default=None, help="bind address (default RAGCHAT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default RAGCHAT_PORT or 8000)")
    serve.add_argument("--processes", type=int, default=None, dest="web_processes",
                       help="API processes sharing the port (default RAGCHAT_WEB_PROCESSES or 1; above 1 needs "
                            "DATABASE_URL and REDIS_URL)")
    serve.set_defaults(run=run_serve)
    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.set_defaults(run=run_migrate)


def settings_from(args: argparse.Namespace) -> Settings:
    given = {name: getattr(args, name, None) for name in ("host", "port", "web_processes")}
    overrides = {name: value for name, value in given.items() if value is not None}
    settings = load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run_serve(args: argparse.Namespace) -> int:
    settings = settings_from(args)
    if settings.web_processes == 1:
        serve_here(settings)
        return 0
    if settings.embedded or settings.redis_url is None:
        print("ragchat: RAGCHAT_WEB_PROCESSES above 1 needs DATABASE_URL and REDIS_URL: embedded mode keeps its "
              "chats' live state in one process", file=sys.stderr)
        return 2
    import uvicorn

    from entrypoints.http.server_processes import ServerProcesses

    # The children run with this process's environment; pass them the address this command was given.
    os.environ["RAGCHAT_HOST"], os.environ["RAGCHAT_PORT"] = settings.host, str(settings.port)
    log.info("starting", extra={"url": f"http://{settings.host}:{settings.port}", "mode": "external services",
                                "processes": settings.web_processes})
    binding = uvicorn.Config(app="entrypoints.http.app:create_app", host=settings.host, port=settings.port)
    return ServerProcesses(binding, settings.web_processes, serve_on_sockets,
                           stop_seconds=settings.drain_seconds + 40).serve()


def serve_on_sockets(sockets: list[socket.socket]) -> None:
    """One of ``RAGCHAT_WEB_PROCESSES`` children: the whole server on the parent's listening socket."""
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    serve_here(settings, sockets)


def serve_here(settings: Settings, sockets: list[socket.socket] | None = None) -> None:
    import uvicorn

    from entrypoints.drain import drain_process
    from entrypoints.http.app import create_app
    from entrypoints.http.server import DrainingServer
    from entrypoints.ioc import make_container

    dist = Path(settings.frontend_dist) if settings.frontend_dist else FRONTEND_DIST
    container = make_container(settings)
    app = create_app(container, settings, frontend_dist=dist)
    mode = "embedded" if settings.embedded else "external services"
    if sockets is None:
        log.info("starting", extra={"url": f"http://{settings.host}:{settings.port}", "mode": mode})
    # X-Forwarded-For is believed only from RAGCHAT_TRUSTED_PROXIES (uvicorn would trust 127.0.0.1 by default,
    # letting any local process pick the address the sign-in limits count against).
    trusted = settings.trusted_proxies
    # websockets' sans-I/O implementation: the legacy one ("websockets") never tells the app that a socket it
    # closed for an oversized frame (1009) is gone when the client did not negotiate permessage-deflate, leaving
    # the session (its tasks, subscription and place under the per-user cap) open until shutdown
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, ws="websockets-sansio",
                            proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None, lifespan="on",
                            timeout_graceful_shutdown=10,
                            # the server reads no more of one frame than the chat socket accepts (1009 beyond)
                            ws_max_size=settings.ws_max_frame_bytes,
                            # no permessage-deflate: token frames are a few dozen bytes, so compressing each one
                            # costs CPU for nothing, and its zlib state (~100 KB per socket, measured) would be most of
                            # what an open socket costs in memory
                            ws_per_message_deflate=False)
    DrainingServer(config, drain=lambda: drain_process(container)).run(sockets=sockets)


def run_migrate(args: argparse.Namespace) -> int:
    from entrypoints.ioc import make_container
    from entrypoints.ioc.persistence import DatabasePing

    settings = settings_from(args)

    async def migrate() -> None:
        container = make_container(settings)
        try:
            await container.get(DatabasePing)  # building the engine applies migrations
        finally:
            await container.close()

    asyncio.run(migrate())
    log.info("migrations applied")
    return 0
