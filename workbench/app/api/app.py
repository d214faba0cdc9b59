"""The HTTP and WebSocket API around the relay (FastAPI).

Routes: ``POST /realtime_audio/`` (the seed's upload), ``POST /realtime_audio/stream``,
``WS /ws/realtime``, ``GET /sessions/{id}``, ``GET /sessions``, ``GET /healthz``,
``GET /metrics``. Use :func:`create_api_app` for a stand-alone app, or
:func:`add_api_routes` to put the same routes into another FastAPI app (``workbench
serve`` mounts Gradio at "/" next to them, on one port).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

import workbench.app.api.openapi_docs as api_docs
from workbench.app.api.errors import error_body
from workbench.app.api.metrics import METRICS_CONTENT_TYPE
from workbench.app.api.session_state import ApiState
from workbench.app.api.settings import ApiSettings
from workbench.app.api.upload_routes import add_http_routes
from workbench.app.api.ws_route import add_ws_route
from workbench.backends.base import Backend

BackendFactory = Callable[[], Backend]

__all__ = [
    "ApiSettings",
    "ApiState",
    "BackendFactory",
    "add_api_routes",
    "build_api_router",
    "create_api_app",
]


def default_backend_factory() -> Backend:
    """The backend the environment selects (the in-process mock when no key is set)."""
    from workbench.config import WorkbenchSettings, make_backend

    return make_backend(WorkbenchSettings.from_env())


class _ApiRoute(APIRoute):
    """Answers parameter validation errors in the API's own ``{"error": ...}`` shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def route_handler(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                problems = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
                    for e in exc.errors()
                )
                return JSONResponse(error_body("bad_request", problems), status_code=422)

        return route_handler


def build_api_router(state: ApiState) -> APIRouter:
    """Every API route, bound to ``state``, as one router (no app-level side effects)."""
    router = APIRouter(route_class=_ApiRoute)
    add_http_routes(router, state)
    add_ws_route(router, state)

    @router.get("/sessions/{session_id}", **api_docs.SESSION_ROUTE)
    async def get_session(session_id: str) -> JSONResponse:
        record = state.sessions.get(session_id)
        if record is None:
            body = error_body(
                "unknown_session",
                f"no session {session_id[:64]!r} (only the "
                f"last {state.settings.max_sessions_kept} sessions are kept)",
            )
            return JSONResponse(body, status_code=404)
        return JSONResponse(record.to_dict())

    @router.get("/sessions", **api_docs.SESSIONS_ROUTE)
    async def list_sessions(limit: int = 50) -> JSONResponse:
        records = state.sessions.recent(max(1, min(limit, state.settings.max_sessions_kept)))
        return JSONResponse(
            {
                "sessions": [
                    {
                        "session_id": r.session_id,
                        "kind": r.kind,
                        "status": r.status,
                        "created_unix_s": round(r.created_unix_s, 3),
                        "error_count": r.error_count,
                    }
                    for r in records
                ]
            }
        )

    @router.get("/healthz", **api_docs.HEALTH_ROUTE)
    async def healthz() -> dict[str, Any]:
        info = state.backend.info
        return {
            "status": "ok",
            "backend": {
                "kind": info.kind,
                "description": info.description,
                "is_mock": info.is_mock,
                "dialect": info.dialect.value,
            },
            "active_sessions": len(state.live),
        }

    @router.get("/metrics", **api_docs.METRICS_ROUTE)
    async def metrics() -> Response:
        return Response(state.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    return router


def add_api_routes(
    app: FastAPI,
    settings: ApiSettings | None = None,
    backend_factory: BackendFactory | None = None,
) -> ApiState:
    """Add the API routes to an existing FastAPI ``app``.

    Parameters
    ----------
    app : FastAPI
        The app to extend (e.g. ``workbench serve``'s, before Gradio is mounted at "/",
        so these routes take precedence).
    settings : ApiSettings | None
        Limits and timeouts (default: ``ApiSettings.from_env()``).
    backend_factory : Callable[[], Backend] | None
        Called once, now, for the backend every session uses (default: from the
        environment; the in-process mock when no key is set).

    Returns
    -------
    ApiState
        Shared state (metrics, sessions). Call ``await state.aclose()`` on shutdown to
        close live sessions (``create_api_app`` does this in its lifespan). Also
        available as ``app.state.workbench_api``.
    """
    settings = settings if settings is not None else ApiSettings.from_env()
    backend = (backend_factory or default_backend_factory)()
    state = ApiState(settings, backend)
    app.include_router(build_api_router(state))
    app.state.workbench_api = state
    tags = list(app.openapi_tags or [])
    known = {t.get("name") for t in tags}
    app.openapi_tags = tags + [t for t in api_docs.TAGS_METADATA if t["name"] not in known]
    return state


def create_api_app(
    settings: ApiSettings | None = None,
    backend_factory: BackendFactory | None = None,
) -> FastAPI:
    """A stand-alone FastAPI app serving the API.

    Parameters
    ----------
    settings : ApiSettings | None
        Limits and timeouts (default: ``ApiSettings.from_env()``).
    backend_factory : Callable[[], Backend] | None
        Returns the backend for every session (default: from the environment).

    Returns
    -------
    FastAPI
        The app; its state is ``app.state.workbench_api`` (an :class:`ApiState`).
    """
    settings = settings if settings is not None else ApiSettings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await app.state.workbench_api.aclose()

    app = FastAPI(
        title="realtime-workbench API",
        version="0.1.0",
        description=api_docs.API_DESCRIPTION,
        lifespan=lifespan,
    )
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            expose_headers=["X-Session-Id", "X-Sample-Rate", "X-Channels", "X-Sample-Format"],
        )
    add_api_routes(app, settings, backend_factory)
    return app
