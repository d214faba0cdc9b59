"""``workbench serve``: the Gradio workbench, the duplex page and the API on one port."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.service_options import add_service_flags, build_service
from workbench.errors import ConfigError

if TYPE_CHECKING:
    from fastapi import FastAPI

    from workbench.service import SessionService


def register(sub: Any) -> None:
    """Add the ``serve`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "serve",
        help="run the Gradio workbench (+ duplex page and HTTP/WS API) on one port",
        description="Serve the Gradio workbench (Talk, File, Duplex, Settings), the "
        "low-latency duplex page at /duplex and the HTTP/WS API, all on one port. Uses "
        "the backend the environment selects (the built-in mock when no key is set).",
    )
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    p.add_argument("--port", type=int, default=7860, help="TCP port (0: any free port)")
    p.add_argument(
        "--share", action="store_true", help="also make a public Gradio share link (needs --auth)"
    )
    p.add_argument(
        "--auth",
        metavar="USER:PASSWORD",
        default=None,
        help="require this login (several: comma-separated); default: $WORKBENCH_AUTH",
    )
    p.add_argument(
        "--share-without-auth",
        action="store_true",
        help="allow --share with no login (anyone with the link can use it)",
    )
    p.add_argument(
        "--share-timeout-s",
        type=float,
        default=20.0,
        help="give up creating the share link after this many seconds",
    )
    add_service_flags(p)
    p.set_defaults(func=run)


def build_workbench_app(service: SessionService, args: argparse.Namespace) -> FastAPI:
    """The whole workbench (API, duplex page, Gradio) on ``service``, with ``args.auth``."""
    from workbench.app.server.assembly import create_app
    from workbench.app.server.auth import parse_auth

    creds = parse_auth(args.auth_text) if args.auth_text else None
    return create_app(service, auth=creds).app


def run(args: argparse.Namespace) -> int:
    """Validate the options, then serve until interrupted; returns the exit status."""
    from workbench.app.server.auth import parse_auth
    from workbench.app.server.share import share_policy
    from workbench.commands.server_process import print_service

    auth_text = args.auth if args.auth is not None else os.environ.get("WORKBENCH_AUTH")
    args.auth_text = auth_text
    creds = parse_auth(auth_text) if auth_text else None
    refusal = share_policy(
        share=args.share, has_auth=bool(creds), share_without_auth=args.share_without_auth
    )
    if refusal is not None:
        print(f"workbench serve: {refusal}", file=sys.stderr)
        return 2
    if not 0 <= args.port <= 65535:
        raise ConfigError(f"--port must be 0–65535, got {args.port}")

    # Before gradio is imported: pydub (imported by gradio) resolves ffmpeg at import time.
    from workbench.app.server.ffmpeg import ensure_ffmpeg

    status = ensure_ffmpeg()
    print(status.message, file=sys.stderr if not status.ok else sys.stdout, flush=True)
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    service = build_service(args)  # bad settings: one message naming every problem
    print_service(service)
    workers = service.server.workers
    if workers > 1:
        if args.share:
            print("workbench serve: --share needs --workers 1", file=sys.stderr)
            return 2
        from workbench.commands.server_process import run_workers

        # The Gradio tabs keep a browser's state in one process: every connection of one
        # client address goes to the same worker (workbench.runtime.sockets).
        return run_workers(
            build_workbench_app,
            args,
            service,
            steer_by_address=True,
            announce=lambda port: _announce(args.host, port, creds, workers),
        )
    return _serve_one(args, creds, service)


def _serve_one(args: argparse.Namespace, creds: Any, service: SessionService) -> int:
    from workbench.app.server.share import open_share_link
    from workbench.commands.server_process import listen_or_explain, serve_single

    # Bind first: a taken port is a one-line error, and port 0 is known before start-up.
    sock = listen_or_explain("serve", args.host, args.port)
    if sock is None:
        return 1
    port = int(sock.getsockname()[1])
    app = build_workbench_app(service, args)

    async def started() -> None:
        _announce(args.host, port, creds, 1)
        if args.share:
            result = await asyncio.to_thread(
                open_share_link, args.host, port, timeout_s=args.share_timeout_s
            )
            print(f"share: {result.message}", flush=True)

    return serve_single(app, service, sock, on_started=started)


def _announce(host: str, port: int, creds: Any, workers: int) -> None:
    local = f"http://{host}:{port}"
    n = f" ({workers} worker processes, one per client address)" if workers > 1 else ""
    print(
        f"workbench: {local}/  (duplex: {local}/duplex, API docs: {local}/api/docs){n}",
        flush=True,
    )
    if creds:
        print(
            "login required: Gradio form on /, cookie or HTTP Basic on /duplex, "
            "/ws/realtime, /realtime_audio/, /sessions, /metrics",
            flush=True,
        )
