"""``workbench mock``: serve the mock realtime model over WebSockets on 127.0.0.1."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``mock`` sub-command."""
    p: argparse.ArgumentParser = sub.add_parser(
        "mock",
        help="serve a mock realtime model (OpenAI/Azure protocol, GA + preview)",
        description="Serve the mock realtime model until stopped. The openai SDK talks to it "
        "unchanged except for the base URL (websocket_base_url=URL/v1).",
    )
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=0, help="0 picks a free port (default)")
    p.add_argument("--behaviour", default="echo", choices=["echo", "tone", "silence", "tool"])
    p.add_argument("--ttfa-ms", type=float, default=300.0, help="time to first audio (ms)")
    p.add_argument("--speed", type=float, default=1.0, help="delivery speed x realtime")
    p.add_argument("--jitter-ms", type=float, default=0.0)
    p.add_argument("--expected-key", default=None, help="refuse clients without this key")
    p.add_argument(
        "--net",
        default=None,
        metavar="PROFILE",
        help="impair the mock's side of each connection with a network profile "
        "(lan, wifi, 4g, 3g-lossy, intercontinental, none; see docs/latency-lab.md)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    from workbench.mock.model import LatencyModel, MockConfig
    from workbench.mock.server import run_mock_server
    from workbench.netem.profiles import get_profile

    net = get_profile(args.net) if args.net is not None else None  # ConfigError: exit 2

    config = MockConfig(
        behaviour=args.behaviour,
        latency=LatencyModel(
            ttfa_ms=args.ttfa_ms, speed_x_realtime=args.speed, jitter_ms=args.jitter_ms
        ),
    )

    def ready(url: str) -> None:
        print(f"mock realtime server listening on {url}", flush=True)
        if net is not None:
            print(f"  network profile: {net.name} ({net.description})", flush=True)
        print(
            f"  openai SDK: AsyncOpenAI(api_key='any', websocket_base_url='{url}/v1')", flush=True
        )
        sys.stdout.flush()

    asyncio.run(run_mock_server(args.host, args.port, config, args.expected_key, ready, net))
    return 0
