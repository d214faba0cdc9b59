"""``workbench api``: serve the HTTP/WebSocket API alone (no Gradio UI)."""

from __future__ import annotations

import argparse
from typing import Any


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
    p.add_argument("--mock-ttfa-ms", type=float, default=300.0, help="mock latency model")
    p.add_argument("--max-upload-mb", type=float, default=None, help="upload limit (MB)")
    p.add_argument("--max-duration-s", type=float, default=None, help="clip length limit (s)")
    p.add_argument(
        "--allowed-origin",
        action="append",
        default=None,
        help="extra Origin allowed on the WebSocket (repeatable; '*' for any)",
    )
    from workbench.app.server.timeout_settings import add_timeout_arguments

    add_timeout_arguments(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    from dataclasses import replace

    import uvicorn

    from workbench.app.api.app import create_api_app
    from workbench.app.api.settings import ApiSettings
    from workbench.app.server.timeout_settings import timeouts_from_args
    from workbench.app.server.timeouts import guarded_http_protocol
    from workbench.backends.base import Backend
    from workbench.config import WorkbenchSettings, make_backend
    from workbench.mock.model import LatencyModel, MockConfig

    settings = ApiSettings.from_env()
    changes: dict[str, Any] = {}
    if args.max_upload_mb is not None:
        changes["max_upload_bytes"] = int(args.max_upload_mb * 1_000_000)
    if args.max_duration_s is not None:
        changes["max_duration_s"] = args.max_duration_s
    if args.allowed_origin:
        changes["allowed_origins"] = tuple(args.allowed_origin)
    settings = replace(settings, **changes)
    env = WorkbenchSettings.from_env()
    mock = MockConfig(latency=LatencyModel(ttfa_ms=args.mock_ttfa_ms))

    def backend_factory() -> Backend:
        return make_backend(env, mock_config=mock, connect_timeout_s=settings.connect_timeout_s)

    app = create_api_app(settings, backend_factory)
    backend = app.state.workbench_api.backend
    print(f"backend: {backend.info.description}", flush=True)
    print(
        f"API on http://{args.host}:{args.port} (docs: /docs, WebSocket: /ws/realtime)", flush=True
    )
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        ws_per_message_deflate=False,  # audio does not compress; deflate only costs CPU
        http=guarded_http_protocol(timeouts_from_args(args)),  # slow heads/bodies: 408
    )
    return 0
