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
    p.add_argument("--listen", type=int, metavar="PORT", help="0 picks a free port")
    p.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    p.add_argument("--upstream", metavar="URL", help="e.g. http://127.0.0.1:8000 or ws://…")
    p.add_argument("--profile", choices=sorted(PROFILES))
    p.add_argument("--seed", type=int, default=0, help="seed of the first connection's link")
    p.add_argument(
        "--describe",
        action="store_true",
        help="instead of proxying, print what each profile (or --profile) does to real-time "
        "audio appends (model percentiles of the added one-way latency), as JSON lines",
    )
    p.add_argument("--chunk-ms", type=float, default=40.0, help="audio per append for --describe")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    """Serve until Ctrl-C (or print the profiles' model figures with ``--describe``)."""
    from workbench.netem.profiles import get_profile
    from workbench.netem.proxy import NetemProxy

    if args.describe:
        return _describe(args)
    missing = [f"--{n}" for n in ("listen", "upstream", "profile") if getattr(args, n) is None]
    if missing:
        print(f"workbench netem: {', '.join(missing)} required (or --describe)", file=sys.stderr)
        return 2
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


def _describe(args: argparse.Namespace) -> int:
    import json

    from workbench.audio import MODEL_FORMAT
    from workbench.backends.impaired import client_event_bytes
    from workbench.errors import ConfigError
    from workbench.netem.describe import stream_stats
    from workbench.netem.profiles import PROFILES, get_profile
    from workbench.protocol.dialects import Dialect
    from workbench.protocol.events import InputAudioBufferAppend

    if not 1.0 <= args.chunk_ms <= 1000.0:
        raise ConfigError(f"--chunk-ms must be in [1, 1000], got {args.chunk_ms}")
    frame_bytes = round(MODEL_FORMAT.sample_rate_hz * args.chunk_ms / 1000) * 2
    size = client_event_bytes(InputAudioBufferAppend(audio=bytes(frame_bytes)), Dialect.GA)
    names = [args.profile] if args.profile else list(PROFILES)
    for name in names:
        for stats in stream_stats(
            get_profile(name), message_bytes=size, interval_ms=args.chunk_ms, seed=args.seed
        ):
            print(json.dumps(stats.to_dict()), flush=True)
    return 0
