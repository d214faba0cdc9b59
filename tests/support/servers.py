"""Real servers for tests: uvicorn on 127.0.0.1 port 0, bounded start and stop."""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from typing import Any

import uvicorn

#: Bound on server start-up and shutdown (s).
SERVER_WAIT_S = 10.0


@contextlib.asynccontextmanager
async def serve(app: Any, **uvicorn_options: Any) -> AsyncIterator[str]:
    """Run ``app`` under uvicorn on 127.0.0.1:0 in this loop; yields ``http://host:port``."""
    options: dict[str, Any] = {"log_level": "warning", "lifespan": "on", "ws_ping_interval": None}
    options.update(uvicorn_options)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, **options))
    task = asyncio.create_task(server.serve(), name="uvicorn")
    try:
        async with asyncio.timeout(SERVER_WAIT_S):
            while not server.started:
                if task.done():
                    task.result()  # start-up failed: raise its error
                await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        async with asyncio.timeout(SERVER_WAIT_S):
            await task


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port
