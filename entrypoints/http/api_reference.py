"""The API reference page (``/schema``): Swagger UI served from this server, never from a CDN.

Swagger UI's files come from the ``swagger-ui-bundle-v2`` wheel, installed with the package, and are served under
``/schema/assets/``. The page carries no inline script or style, so the strict Content-Security-Policy that every
response gets applies to it unchanged: its one script of our own is served as a file too.
"""

from __future__ import annotations

import html
from typing import Any

from litestar import Request, Router, get
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.static_files import create_static_files_router
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/schema/assets"
_START_SCRIPT = b"""window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({
    url: document.body.dataset.schemaUrl,
    dom_id: "#swagger-ui",
    deepLinking: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "BaseLayout",
  });
});
"""


@get("/reference.js", media_type="text/javascript", include_in_schema=False, sync_to_thread=False)
def start_script() -> bytes:
    return _START_SCRIPT


class LocalSwaggerRenderPlugin(SwaggerRenderPlugin):
    def __init__(self) -> None:
        super().__init__(
            js_url=f"{ASSETS}/swagger-ui-bundle.js",
            css_url=f"{ASSETS}/swagger-ui.css",
            standalone_preset_js_url=f"{ASSETS}/swagger-ui-standalone-preset.js",
            favicon=f'<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">',
            style="",
        )

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        title = html.escape(str(openapi_schema["info"]["title"]))
        schema_url = html.escape(self.get_openapi_json_route(request))
        return f"""<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title} API reference</title>
  {self.favicon}
  <link rel="stylesheet" href="{self.css_url}">
  <link rel="stylesheet" href="{ASSETS}/index.css">
  <script src="{self.js_url}"></script>
  <script src="{self.standalone_preset_js_url}"></script>
  <script src="/schema/reference.js"></script>
</head>
<body data-schema-url="{schema_url}">
  <div id="swagger-ui"></div>
</body>
</html>
""".encode()

    def receive_router(self, router: Router) -> None:
        """Serves the vendored files and the start script (instead of the OAuth2 redirect page, unused here)."""
        router.register(create_static_files_router(path="/assets", directories=[swagger_ui_path]))
        router.register(start_script)
