"""A round trip through a server's event loop, timed every few milliseconds, in its own process.

``python -m workbench.bench.rtt_probe URL --interval-ms 5`` opens one ``WS /ws/realtime``
session on ``URL`` (``http://host:port``), prints ``ready``, then sends a WebSocket ping
every ``interval_ms`` and times its pong until it reads a line on stdin (or
``--max-seconds`` pass); then it prints one JSON line ``{"samples": [[t_s, rtt_ms], …]}``
(``t_s``: ``time.time()`` when the ping was sent) and exits.

The server answers a ping in its protocol code on its event loop, so the round trip is
as long as the loop was busy with anything else: a blocking connect, a GC pass, a burst
of work. The probe runs in a process of its own so the load generator's own busy loop
does not add to it. A ping still unanswered when the next is due is not re-sent; its
round trip is recorded when the pong comes.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import time

from websockets.asyncio.client import connect

CONNECT_TIMEOUT_S = 20.0


async def probe(url: str, interval_ms: float, max_seconds: float) -> list[list[float]]:
    """Ping ``url``'s WebSocket every ``interval_ms`` until stdin has a line; the samples."""
    ws_url = url.replace("http://", "ws://") + "/ws/realtime?turn_detection=none"
    samples: list[list[float]] = []
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    loop.add_reader(sys.stdin.fileno(), stop.set)
    async with connect(ws_url, open_timeout=CONNECT_TIMEOUT_S, ping_interval=None) as ws:
        async with asyncio.timeout(CONNECT_TIMEOUT_S):
            while '"session"' not in str(await ws.recv()):
                pass
        reader = asyncio.create_task(_drain(ws))
        print("ready", flush=True)
        deadline_s = time.monotonic() + max_seconds
        try:
            while not stop.is_set() and time.monotonic() < deadline_s:
                sent_wall_s, sent_s = time.time(), time.perf_counter()
                pong = await ws.ping()
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(max_seconds):
                        await pong
                done_s = time.perf_counter()
                samples.append([sent_wall_s, (done_s - sent_s) * 1000.0])
                wait_s = interval_ms / 1000.0 - (done_s - sent_s)
                if wait_s > 0:
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(wait_s):
                            await stop.wait()
        finally:
            reader.cancel()
            loop.remove_reader(sys.stdin.fileno())
    return samples


async def _drain(ws: object) -> None:
    # Pongs are processed while messages are read; the server's messages are not needed.
    with contextlib.suppress(Exception):
        async for _ in ws:  # type: ignore[attr-defined]
            pass


def main() -> None:
    """Command-line entry (see the module docstring)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--interval-ms", type=float, default=5.0)
    parser.add_argument("--max-seconds", type=float, default=120.0)
    args = parser.parse_args()
    samples = asyncio.run(probe(args.url, args.interval_ms, args.max_seconds))
    print(json.dumps({"samples": samples}), flush=True)


if __name__ == "__main__":
    main()
