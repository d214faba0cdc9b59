"""``workbench netem``: serve a WebSocket/HTTP reverse proxy that impairs the network."""

from __future__ import annotations

import argparse
import asyncio
import socket
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the ``netem`` sub-command."""
    from workbench.netem.profiles import PROFILES

    p: argparse.ArgumentParser = sub.add_parser(
        "netem",
        help="proxy WebSocket/HTTP traffic through a network profile (delay, jitter, loss)",
        description="Put any client or server behind a network profile: listen on PORT and "
        "forward every WebSocket and HTTP request to UPSTREAM (same path and query), "
        "delaying each direction per the profile. Profiles and their sources: "
        "docs/latency-lab.md.",
    )
    p.add_argument("--listen", type=int, required=True, metavar="PORT", help="0 picks a free port")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    p.add_argument(
        "--upstream", required=True, metavar="URL", help="e.g. http://127.0.0.1:8000 or ws://…"
    )
    p.add_argument("--profile", required=True, choices=sorted(PROFILES))
    p.add_argument("--seed", type=int, default=0, help="seed of the first connection's link")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C."""
    from workbench.netem.profiles import get_profile
    from workbench.netem.proxy import NetemProxy

    proxy = NetemProxy(args.upstream, get_profile(args.profile), seed=args.seed)
    try:
        sock = socket.create_server((args.host, args.listen))
    except OSError as exc:
        print(
            f"workbench netem: cannot listen on {args.host}:{args.listen}: {exc}", file=sys.stderr
        )
        return 1
    return asyncio.run(_serve(proxy, sock, args.host))


async def _serve(proxy: Any, sock: socket.socket, host: str) -> int:
    import uvicorn

    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        proxy.app(),
        log_level="warning",
        ws_max_size=16 * 1024 * 1024,
        ws_per_message_deflate=False,
        ws_ping_interval=None,  # pings would cross the link too and skew the figures
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]), name="uvicorn")
    async with asyncio.timeout(30.0):
        while not server.started and not task.done():  # noqa: ASYNC110 (uvicorn has no event)
            await asyncio.sleep(0.05)
    if task.done():
        await task
        return 1
    profile = proxy.profile
    print(
        f"netem proxy listening on http://{host}:{port} -> {proxy.http_base} "
        f"(profile {profile.name}: {profile.description})",
        flush=True,
    )
    await task
    return 0
