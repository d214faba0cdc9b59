"""``workbench serve``: the Gradio workbench, the duplex page and the API on one port."""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import sys
from typing import TYPE_CHECKING, Any

from workbench.commands.service_options import add_service_flags, build_service
from workbench.errors import ConfigError

if TYPE_CHECKING:
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


def run(args: argparse.Namespace) -> int:
    """Validate the options, then serve until interrupted; returns the exit status."""
    from workbench.app.server.auth import parse_auth
    from workbench.app.server.share import share_policy

    auth_text = args.auth if args.auth is not None else os.environ.get("WORKBENCH_AUTH")
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
    return asyncio.run(_serve(args, creds, service))


def _bind(host: str, port: int) -> socket.socket:
    """A listening socket on ``host:port`` (port 0: any free port); OSError if taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


async def _serve(args: argparse.Namespace, creds: Any, service: SessionService) -> int:
    import uvicorn

    from workbench.app.server.assembly import create_app
    from workbench.app.server.share import open_share_link
    from workbench.app.server.timeouts import ServerTimeouts, guarded_http_protocol

    # Bind first: a taken port is a one-line error, and port 0 is known before start-up.
    try:
        sock = _bind(args.host, args.port)
    except OSError as exc:
        print(
            f"workbench serve: cannot listen on {args.host}:{args.port}: {exc.strerror}",
            file=sys.stderr,
        )
        return 1
    port = int(sock.getsockname()[1])
    built = create_app(service, auth=creds)
    print(f"backend: {service.resolver.describe(service.defaults)}", flush=True)
    config = uvicorn.Config(
        built.app,
        host=args.host,
        port=port,
        log_level="warning",
        ws_max_size=service.server.ws_max_queued_bytes,
        ws_per_message_deflate=False,  # audio does not compress; deflate only costs CPU
        # Slow or stalled request heads and bodies get 408; oversized heads 414/431.
        http=guarded_http_protocol(ServerTimeouts.from_settings(service.server)),
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="uvicorn")
    try:
        async with asyncio.timeout(30.0):
            while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn has no event)
                await asyncio.sleep(0.05)
    except TimeoutError:
        print("workbench serve: the server did not start within 30 s", file=sys.stderr)
        server.should_exit = True
        await task
        return 1
    if task.done():
        await task
        return 1
    local = f"http://{args.host}:{port}"
    print(f"workbench: {local}/  (duplex: {local}/duplex, API docs: {local}/api/docs)", flush=True)
    if creds:
        print(
            "login required: Gradio form on /, cookie or HTTP Basic on /duplex, "
            "/ws/realtime, /realtime_audio/, /sessions, /metrics",
            flush=True,
        )
    if args.share:
        result = await asyncio.to_thread(
            open_share_link, args.host, port, timeout_s=args.share_timeout_s
        )
        print(f"share: {result.message}", flush=True)
    await task
    return 0
