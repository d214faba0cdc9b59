"""The HTTP and WebSocket API around the session service (FastAPI).

Routes: ``POST /realtime_audio/`` (the seed's upload), ``POST /realtime_audio/stream``,
``WS /ws/realtime``, ``GET /sessions/{id}``, ``GET /sessions``, ``GET /healthz``,
``GET /metrics``. Every route is a thin adapter over one
:class:`~workbench.service.SessionService`, so ``/healthz``, ``/sessions`` and ``/metrics``
see every session of every shell (the Gradio tabs included, when ``workbench serve``
puts them on the same service). Use :func:`create_api_app` for a stand-alone app, or
:func:`add_api_routes` to put the same routes into another FastAPI app.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.routing import APIRoute

import workbench.app.api.openapi_docs as api_docs
from workbench.app.api.errors import error_body
from workbench.app.api.upload_routes import add_http_routes
from workbench.app.api.ws_route import add_ws_route
from workbench.backends.sdk_clients import aclose_shared_clients
from workbench.runtime.multiproc import RuntimeGauges
from workbench.runtime.process import ProcessRuntime
from workbench.service import SessionService
from workbench.service.metrics import METRICS_CONTENT_TYPE

#: Bound on ending every live session when the process shuts down (s).
SHUTDOWN_TIMEOUT_S = 10.0

__all__ = ["add_api_routes", "attach_runtime", "build_api_router", "create_api_app", "run_process"]


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


def build_api_router(service: SessionService) -> APIRouter:
    """Every API route, bound to ``service``, as one router (no app-level side effects)."""
    router = APIRouter(route_class=_ApiRoute)
    add_http_routes(router, service)
    add_ws_route(router, service)

    @router.get("/sessions/{session_id}", **api_docs.SESSION_ROUTE)
    async def get_session(session_id: str) -> JSONResponse:
        record = service.store.get(session_id)
        if record is None:
            body = error_body(
                "unknown_session",
                f"no session {session_id[:64]!r} (only the "
                f"last {service.server.max_sessions_kept} sessions are kept)",
            )
            return JSONResponse(body, status_code=404)
        return JSONResponse(record.to_dict())

    @router.get("/sessions", **api_docs.SESSIONS_ROUTE)
    async def list_sessions(limit: int = 50) -> JSONResponse:
        records = service.store.recent(max(1, min(limit, service.server.max_sessions_kept)))
        return JSONResponse({"sessions": [r.summary() for r in records]})

    @router.get("/healthz", **api_docs.HEALTH_ROUTE)
    async def healthz() -> dict[str, Any]:
        return service.health()

    @router.get("/metrics", **api_docs.METRICS_ROUTE)
    async def metrics() -> Response:
        return Response(service.metrics.render(), media_type=METRICS_CONTENT_TYPE)

    return router


def add_api_routes(app: FastAPI, service: SessionService) -> None:
    """Add the API routes of ``service`` to an existing FastAPI ``app``.

    The service is also ``app.state.workbench_service``; close it on shutdown
    (``create_api_app`` does this in its lifespan).
    """
    app.include_router(build_api_router(service))
    app.state.workbench_service = service
    tags = list(app.openapi_tags or [])
    known = {t.get("name") for t in tags}
    app.openapi_tags = tags + [t for t in api_docs.TAGS_METADATA if t["name"] not in known]


def attach_runtime(app: FastAPI, service: SessionService) -> ProcessRuntime:
    """Give ``app`` the runtime health of its process, exported on ``service``'s metrics.

    The loop-lag monitor and GC pause recorder (``workbench_loop_lag_ms``,
    ``workbench_gc_pause_ms`` …): scrape-time collectors on the service's registry, or,
    in a worker of a ``--workers N`` server, republished every second for the merged
    scrape; in a worker, also the heartbeat ``/healthz`` reads. Start it in the app's
    lifespan (:func:`run_process`); it is ``app.state.workbench_runtime``.
    """
    s = service.server
    runtime = ProcessRuntime(
        lag_interval_ms=s.loop_lag_interval_ms, lag_window_ms=s.loop_lag_window_s * 1000.0
    )
    if service.metrics.multiproc_dir is not None:
        runtime.task_factories.append(RuntimeGauges(runtime).run)
    else:
        service.metrics.add_collectors(runtime.collectors())
    if service.worker is not None:
        runtime.task_factories.append(service.heartbeat)
    app.state.workbench_runtime = runtime
    return runtime


@asynccontextmanager
async def run_process(runtime: ProcessRuntime, service: SessionService) -> AsyncIterator[None]:
    """An app's lifespan: the runtime runs while it serves; on shutdown every live session
    ends (reason ``shutdown``), then the process's shared SDK clients close."""
    async with runtime:
        try:
            yield
        finally:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(SHUTDOWN_TIMEOUT_S):
                    await service.aclose()
            await aclose_shared_clients()


def create_api_app(service: SessionService | None = None) -> FastAPI:
    """A stand-alone FastAPI app serving the API.

    Parameters
    ----------
    service : SessionService | None
        Owns every session (default: :meth:`SessionService.from_env`: the environment's
        backend, limits and defaults). It is closed when the app shuts down.
    """
    svc = service if service is not None else SessionService.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with run_process(runtime, svc):
            yield

    app = FastAPI(
        title="realtime-workbench API",
        version="0.1.0",
        description=api_docs.API_DESCRIPTION,
        lifespan=lifespan,
    )
    if svc.server.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(svc.server.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
            expose_headers=["X-Session-Id", "X-Sample-Rate", "X-Channels", "X-Sample-Format"],
        )
    add_api_routes(app, svc)
    runtime = attach_runtime(app, svc)
    return app
