"""The low-latency duplex page: ``GET /duplex`` and its static JS, CSS and worklets."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).with_name("static")
#: Where the shared browser modules are served (the duplex page's and the page tap's).
STATIC_PATH = "/duplex/static"


def add_duplex_routes(app: FastAPI) -> None:
    """``GET /duplex`` (the page) and ``/duplex/static/*`` (its JS, CSS and worklets)."""

    @app.get("/duplex", include_in_schema=False)
    async def duplex_page() -> FileResponse:
        # no-store: the page is tiny and must never be served stale after an upgrade.
        return FileResponse(STATIC_DIR / "duplex.html", headers={"Cache-Control": "no-store"})

    @app.get("/duplex/", include_in_schema=False)
    async def duplex_slash() -> RedirectResponse:
        return RedirectResponse("/duplex")

    app.mount(STATIC_PATH, StaticFiles(directory=STATIC_DIR), name="duplex-static")
