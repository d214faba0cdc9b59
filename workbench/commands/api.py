"""``workbench api``: serve the HTTP/WebSocket API alone (no Gradio UI)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from workbench.commands.service_options import add_service_flags, build_service
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from workbench.service import SessionService


def register(sub: Any) -> None:
    """Add the ``api`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "api",
        help="serve the HTTP/WebSocket API (POST /realtime_audio/, WS /ws/realtime)",
        description="Serve the relay API with uvicorn. The backend comes from the "
        "environment (the in-process mock when no key is set). Docs at /docs. With "
        "--workers N, N processes share the port (one per core); every limit is per "
        "process, /healthz and /metrics answer for all of them.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860, help="TCP port (0: any free port)")
    add_service_flags(p)
    p.set_defaults(func=run)


def build_api_app(service: SessionService, args: argparse.Namespace) -> FastAPI:
    """The API app on ``service`` (what every process of ``workbench api`` serves)."""
    from workbench.app.api.app import create_api_app

    return create_api_app(service)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C or SIGTERM; returns the exit status."""
    from workbench.commands.server_process import (
        listen_or_explain,
        print_service,
        run_workers,
        serve_single,
    )

    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be 0–65535, got {args.port}")
    service = build_service(args)  # bad settings: one message naming every problem
    print_service(service)
    workers = service.server.workers

    def announce(port: int) -> None:
        n = f" ({workers} worker processes)" if workers > 1 else ""
        print(
            f"API on http://{args.host}:{port}{n} (docs: /docs, WebSocket: /ws/realtime)",
            flush=True,
        )

    if workers > 1:
        return run_workers(build_api_app, args, service, announce=announce)
    sock = listen_or_explain("api", args.host, args.port)
    if sock is None:
        return 1
    port = int(sock.getsockname()[1])
    app = build_api_app(service, args)
    return serve_single(app, service, sock, on_started=lambda: announce(port))
