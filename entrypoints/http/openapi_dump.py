"""Writes the HTTP API's OpenAPI document, as ``GET /schema/openapi.json`` serves it, without starting a server.

The web UI's API types are generated from this file (``frontend/openapi.json``, then ``openapi-typescript`` in the
UI's build); a unit test keeps the committed copy equal to what the app documents. After changing an endpoint:

    python -m entrypoints.http.openapi_dump            # rewrites frontend/openapi.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from entrypoints.http.app import create_app
from entrypoints.ioc import make_container
from entrypoints.settings_loading import load_settings

DEFAULT_OUTPUT = Path(__file__).resolve().parents[2] / "frontend" / "openapi.json"


def openapi_document() -> dict[str, Any]:
    """Built from the default settings (nothing is started: no database, no model) so the file does not depend
    on the machine's environment."""
    settings = load_settings({})
    app = create_app(make_container(settings), settings)
    document: dict[str, Any] = app.openapi_schema.to_schema()
    return document


def render(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    args.output.write_text(render(openapi_document()), encoding="utf-8")


if __name__ == "__main__":
    main()
