"""``workbench api``: serve the HTTP/WebSocket API alone (no Gradio UI)."""

from __future__ import annotations

import argparse
from typing import Any

from workbench.commands.service_options import add_service_flags, build_service


def register(sub: Any) -> None:
    """Add the ``api`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "api",
        help="serve the HTTP/WebSocket API (POST /realtime_audio/, WS /ws/realtime)",
        description="Serve the relay API with uvicorn. The backend comes from the "
        "environment (the in-process mock when no key is set). Docs at /docs.",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    add_service_flags(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    import uvicorn

    from workbench.app.api.app import create_api_app
    from workbench.app.server.timeouts import ServerTimeouts, guarded_http_protocol

    service = build_service(args)  # bad settings: one message naming every problem
    app = create_api_app(service)
    print(f"backend: {service.resolver.describe(service.defaults)}", flush=True)
    print(
        f"API on http://{args.host}:{args.port} (docs: /docs, WebSocket: /ws/realtime)", flush=True
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        ws_max_size=service.server.ws_max_queued_bytes,
        ws_per_message_deflate=False,  # audio does not compress; deflate only costs CPU
        # Slow or stalled request heads and bodies get 408; oversized heads 414/431.
        http=guarded_http_protocol(ServerTimeouts.from_settings(service.server)),
    )
    return 0
