"""`ragchat serve` (the API, WebSocket, web UI and, in embedded mode, background jobs) and `ragchat migrate`."""

from __future__ import annotations

import argparse
import asyncio
import logging
from pathlib import Path

from entrypoints.logging_setup import configure_logging
from entrypoints.settings import Settings, load_settings

log = logging.getLogger("ragchat")
FRONTEND_DIST = Path(__file__).resolve().parents[2] / "frontend" / "dist"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    serve = sub.add_parser("serve", help="serve the API, WebSocket and web UI")
    serve.add_argument("--host", default=None, help="bind address (default RAGCHAT_HOST or 127.0.0.1)")
    serve.add_argument("--port", type=int, default=None, help="port (default RAGCHAT_PORT or 8000)")
    serve.set_defaults(run=run_serve)
    migrate = sub.add_parser("migrate", help="apply database migrations and exit")
    migrate.set_defaults(run=run_migrate)


def settings_from(args: argparse.Namespace) -> Settings:
    overrides = {k: v for k, v in {"host": getattr(args, "host", None), "port": getattr(args, "port", None)}.items()
                 if v is not None}
    settings = load_settings(**overrides)
    configure_logging(settings.log_level, settings.log_format)
    return settings


def run_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from entrypoints.drain import drain_process
    from entrypoints.http.app import create_app
    from entrypoints.http.server import DrainingServer
    from entrypoints.ioc import make_container

    settings = settings_from(args)
    dist = Path(settings.frontend_dist) if settings.frontend_dist else FRONTEND_DIST
    container = make_container(settings)
    app = create_app(container, settings, frontend_dist=dist)
    mode = "embedded" if settings.embedded else "external services"
    log.info("starting", extra={"url": f"http://{settings.host}:{settings.port}", "mode": mode})
    # X-Forwarded-For is believed only from RAGCHAT_TRUSTED_PROXIES (uvicorn would trust 127.0.0.1 by default,
    # letting any local process pick the address the sign-in limits count against).
    trusted = settings.trusted_proxies
    config = uvicorn.Config(app, host=settings.host, port=settings.port, log_config=None, ws="websockets",
                            proxy_headers=bool(trusted), forwarded_allow_ips=trusted or None, lifespan="on",
                            timeout_graceful_shutdown=10,
                            # the server reads no more of one frame than the chat socket accepts (1009 beyond)
                            ws_max_size=settings.ws_max_frame_bytes,
                            # no permessage-deflate: token frames are a few dozen bytes, so compressing each one
                            # costs CPU for nothing, and its zlib state (~100 KB per socket, measured) would be most of
                            # what an open socket costs in memory
                            ws_per_message_deflate=False)
    DrainingServer(config, drain=lambda: drain_process(container)).run()
    return 0


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
