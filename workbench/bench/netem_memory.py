"""The real ``WS /ws/realtime`` endpoint, connected in memory: for virtual time.

:func:`memory_connector` runs the API's own
:class:`~workbench.app.api.ws_connection.WsConnection` (message parsing, clock pings, turn
reports, the session service, the relay, the mock) over a pair of in-memory queues
instead of a socket. With a ``VirtualClock`` shared by the service, its mock and the
:class:`~workbench.bench.netem_client.Listener`, a whole session — network profiles
included — runs in milliseconds and gives the same numbers every time: what the
notebooks and the deterministic tests use. Only the socket and uvicorn are left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.websockets import WebSocketState

from workbench.app.api.ws_client_messages import settings_from_query
from workbench.app.api.ws_connection import WsConnection
from workbench.backends.inprocess import InProcessBackend
from workbench.bench.netem_parts import Connector
from workbench.clock import VirtualClock
from workbench.mock.config import LatencyModel, MockConfig
from workbench.netem.socket import Message, MessageSocket
from workbench.service import BackendResolver, SessionService

#: Bound on the endpoint finishing after the client left (s).
CLOSE_WAIT_S = 10.0


class _Closed:
    """End of one direction."""


class MemoryClientSocket:
    """The client's end: a message socket over in-memory queues."""

    def __init__(self, to_server: asyncio.Queue[Message | _Closed]) -> None:
        self._to_server = to_server
        self.inbox: asyncio.Queue[Message | _Closed] = asyncio.Queue()

    async def send(self, message: Message) -> None:
        """To the server."""
        self._to_server.put_nowait(message)

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[Message]:
        while True:
            item = await self.inbox.get()
            if isinstance(item, _Closed):
                return
            yield item

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """The client leaves (the server sees a disconnect)."""
        self._to_server.put_nowait(_Closed())


class MemoryServerSocket:
    """The server's end: what ``WsConnection`` uses of a Starlette WebSocket."""

    def __init__(self) -> None:
        self.inbox: asyncio.Queue[Message | _Closed] = asyncio.Queue()
        self.client = MemoryClientSocket(self.inbox)
        self._state = WebSocketState.CONNECTED

    @property
    def client_state(self) -> WebSocketState:
        """CONNECTED until either side closed."""
        return self._state

    async def receive(self) -> dict[str, Any]:
        """The next client frame, as an ASGI message."""
        item = await self.inbox.get()
        if isinstance(item, _Closed):
            self._state = WebSocketState.DISCONNECTED
            return {"type": "websocket.disconnect", "code": 1000}
        if isinstance(item, bytes):
            return {"type": "websocket.receive", "bytes": item}
        return {"type": "websocket.receive", "text": item}

    async def send_bytes(self, data: bytes) -> None:
        """A binary frame to the client."""
        self._send(data)

    async def send_json(self, data: Any) -> None:
        """A JSON text frame to the client."""
        self._send(json.dumps(data, separators=(",", ":"), ensure_ascii=False))

    def _send(self, message: Message) -> None:
        if self._state is not WebSocketState.CONNECTED:
            raise RuntimeError("the in-memory WebSocket is closed")
        self.client.inbox.put_nowait(message)

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """The server closes: the client's iteration ends."""
        if self._state is WebSocketState.CONNECTED:
            self._state = WebSocketState.DISCONNECTED
            self.client.inbox.put_nowait(_Closed())


def memory_connector(service: SessionService) -> Connector:
    """Connections to ``service``'s WebSocket endpoint, in memory.

    Parameters
    ----------
    service : SessionService
        The service (its clock is the time base of everything; pass the same clock to
        the :class:`~workbench.bench.netem_client.Listener`).
    """

    @contextlib.asynccontextmanager
    async def open_socket(query: dict[str, str]) -> AsyncIterator[MessageSocket]:
        server = MemoryServerSocket()
        settings = settings_from_query(query, service.defaults)
        connection = WsConnection(service, server, settings, wait_for_settings=False)
        task = asyncio.create_task(connection.run(), name="memory-ws")
        try:
            yield server.client
        finally:
            await server.client.close()
            with contextlib.suppress(TimeoutError, Exception):
                async with asyncio.timeout(CLOSE_WAIT_S):
                    await task
            if not task.done():
                task.cancel()

    return open_socket


@dataclass(frozen=True)
class VirtualApi:
    """The API's WebSocket endpoint over the echo mock, in memory, on one virtual clock."""

    service: SessionService
    clock: VirtualClock
    connector: Connector


@contextlib.asynccontextmanager
async def virtual_api(mock_ttfa_ms: float = 300.0) -> AsyncIterator[VirtualApi]:
    """A :class:`VirtualApi` for the ``async with`` block (its sessions end with it).

    Parameters
    ----------
    mock_ttfa_ms : float
        The echo mock's time to first audio (ms); it sends its reply in real time.
    """
    clock = VirtualClock()
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=mock_ttfa_ms))
    backend = InProcessBackend(mock, clock=clock)
    async with SessionService(resolver=BackendResolver.of(backend), clock=clock) as service:
        yield VirtualApi(service, clock, memory_connector(service))
