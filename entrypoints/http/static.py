"""Serves the built web UI (``frontend/dist``) at ``/``; the UI routes with hashes so it never shadows the API."""

from __future__ import annotations

from pathlib import Path

from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler


def frontend_router(dist: Path) -> ControllerRouterHandler:
    return create_static_files_router(path="/", directories=[dist], html_mode=True, include_in_schema=False)
