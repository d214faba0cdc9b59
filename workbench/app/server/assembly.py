"""One FastAPI app for ``workbench serve``: API, duplex page and Gradio, on one port.

Order matters: the API routes (``/realtime_audio/``, ``/ws/realtime``, ``/sessions``,
``/healthz``, ``/metrics``) and the duplex page (``/duplex``, ``/duplex/static/*``) are
registered first, then Gradio is mounted at ``/`` and takes every other path; every body
Gradio reads is held to ``max_upload_bytes`` (:class:`~workbench.app.server.body_cap.BodyCap`,
the API's 413). With credentials, Gradio shows its login form and
:class:`~workbench.app.server.auth.AuthGate` guards every route but the login page and
``/healthz`` with the same login (Gradio's session cookie) or HTTP Basic.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr
from fastapi import FastAPI
from starlette.routing import Mount

from workbench.app.api.app import add_api_routes, attach_runtime, run_process
from workbench.app.browser.routes import add_duplex_routes
from workbench.app.server.auth import AuthGate, Credentials
from workbench.app.server.body_cap import BodyCap
from workbench.app.ui.blocks import CSS, build_ui
from workbench.app.ui.talk_session import TalkRegistry
from workbench.service import SessionService

log = logging.getLogger(__name__)


@dataclass
class WorkbenchApp:
    """The composed app and the handles ``serve`` and tests need."""

    app: FastAPI
    blocks: gr.Blocks
    service: SessionService
    registry: TalkRegistry
    auth: list[Credentials] | None


def _mounted_gradio(app: FastAPI) -> Any:
    """The Gradio app ``mount_gradio_app`` mounted at ``/`` (a FastAPI app)."""
    for route in app.routes:
        if isinstance(route, Mount) and route.path == "":
            return route.app
    raise RuntimeError("Gradio is not mounted at /")


def _gradio_session_user(gradio_app: Any) -> Callable[[dict[str, str]], str | None]:
    """``cookies -> user``: looks the login cookie up in the mounted Gradio app."""

    def lookup(cookies: dict[str, str]) -> str | None:
        cookie_id = getattr(gradio_app, "cookie_id", None)
        tokens: dict[str, str] = getattr(gradio_app, "tokens", {})
        if cookie_id is None:
            return None
        for name in (f"access-token-{cookie_id}", f"access-token-unsecure-{cookie_id}"):
            token = cookies.get(name)
            if token and token in tokens:
                return tokens[token]
        return None

    return lookup


def create_app(
    service: SessionService | None = None,
    *,
    auth: Sequence[Credentials] | None = None,
) -> WorkbenchApp:
    """Compose the workbench app: the API, the duplex page and the Gradio tabs on one service.

    Parameters
    ----------
    service : SessionService | None
        Owns every session of every shell (default: :meth:`SessionService.from_env`).
    auth : sequence of Credentials | None
        Require a login for everything (Gradio form, cookie or Basic for the rest).

    Returns
    -------
    WorkbenchApp
        ``.app`` is the ASGI app to serve (e.g. ``uvicorn.Server``).
    """
    svc = service if service is not None else SessionService.from_env()
    registry = TalkRegistry()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with run_process(runtime, svc):
            yield
            # Close the tabs' sessions (bounded by their close timeouts) before the
            # service ends the rest and the loop stops.
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(5.0):
                    await registry.close_all()

    app = FastAPI(
        title="realtime-workbench",
        lifespan=lifespan,
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
    )
    add_api_routes(app, svc)
    runtime = attach_runtime(app, svc)
    add_duplex_routes(app)
    blocks = build_ui(svc, registry)
    creds = list(auth) if auth else None
    gr_auth = [(c.username, c.password) for c in creds] if creds else None
    gr.mount_gradio_app(
        app,
        blocks,
        path="/",
        auth=gr_auth,
        auth_message="Log in to the realtime workbench.",
        footer_links=["api", "settings"],
        run_history=False,
        ssr_mode=False,
        css=CSS,
        # Gradio's own per-file check (and its page refuses bigger files up front) …
        max_file_size=svc.server.max_upload_bytes,
    )
    gradio_app = _mounted_gradio(app)
    # … and every body Gradio reads gets the API's limit and 413 message (BodyCap).
    gradio_app.add_middleware(BodyCap, max_bytes=svc.server.max_upload_bytes)
    if creds:
        app.add_middleware(AuthGate, creds=creds, session_user=_gradio_session_user(gradio_app))
    return WorkbenchApp(app, blocks, svc, registry, creds)
