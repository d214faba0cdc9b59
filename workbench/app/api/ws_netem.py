"""The client leg of ``WS /ws/realtime`` behind a network profile (``client_net_profile``).

:class:`ImpairedWebSocket` gives :class:`~workbench.app.api.ws_connection.WsConnection` the
part of Starlette's ``WebSocket`` it uses (``receive``, ``send_bytes``, ``send_json``,
``close``, ``client_state``), with every frame crossing a
:class:`~workbench.netem.socket.ImpairedSocket` first: what the client sends reaches the
relay after the profile's uplink, what the relay sends reaches the client after its
downlink — the same model as ``workbench mock --net`` and the ``workbench netem`` proxy.
"""

from __future__ import annotations

import contextlib
import itertools
import json
from collections.abc import AsyncIterator
from typing import Any, Protocol

from starlette.websockets import WebSocket, WebSocketState

from workbench.clock import Clock
from workbench.netem.profiles import NetProfile
from workbench.netem.socket import Message, MessageSocket, impair_socket

#: Seeds of impaired connections: connection n of this process gets seed n.
_SEEDS = itertools.count()


class WsTransport(Protocol):
    """What a connection uses of its WebSocket (Starlette's, or one behind a profile)."""

    @property
    def client_state(self) -> WebSocketState:
        """The connection's state."""
        ...

    async def receive(self) -> Any:
        """The next ASGI message (``websocket.receive`` or ``websocket.disconnect``)."""
        ...

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary frame."""
        ...

    async def send_json(self, data: Any) -> None:
        """Send a JSON text frame."""
        ...

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close the connection."""
        ...


class StarletteMessageSocket:
    """A Starlette ``WebSocket`` as a message socket (send, iterate, close)."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws

    async def send(self, message: Message) -> None:
        """Send one text or binary frame."""
        if isinstance(message, bytes):
            await self.ws.send_bytes(message)
        else:
            await self.ws.send_text(message)

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._frames()

    async def _frames(self) -> AsyncIterator[Message]:
        while True:
            message = await self.ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            data = message.get("bytes")
            if data is None:
                data = message.get("text")
            if data is not None:
                yield data

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the WebSocket (nothing if it is gone already)."""
        if self.ws.client_state == WebSocketState.CONNECTED:
            await self.ws.close(code, reason or None)


class ImpairedWebSocket:
    """What ``WsConnection`` needs of a WebSocket, through an impaired link.

    Parameters
    ----------
    ws : WebSocket
        The accepted connection.
    impaired : MessageSocket
        ``ws`` seen through the link (from :func:`impaired_websocket`).
    """

    def __init__(self, ws: WebSocket, impaired: MessageSocket) -> None:
        self._ws = ws
        self._impaired = impaired
        self._frames = aiter(impaired)

    @property
    def client_state(self) -> WebSocketState:
        """The real connection's state."""
        return self._ws.client_state

    async def receive(self) -> dict[str, Any]:
        """The next frame as an ASGI message, at its modelled arrival."""
        try:
            frame = await anext(self._frames)
        except StopAsyncIteration:
            return {"type": "websocket.disconnect", "code": 1000}
        except Exception:  # the connection broke: a disconnect, after the data before it
            return {"type": "websocket.disconnect", "code": 1006}
        if isinstance(frame, bytes):
            return {"type": "websocket.receive", "bytes": frame}
        return {"type": "websocket.receive", "text": frame}

    async def send_bytes(self, data: bytes) -> None:
        """Send a binary frame across the downlink."""
        await self._impaired.send(data)

    async def send_json(self, data: Any) -> None:
        """Send a JSON text frame across the downlink (encoded as Starlette does)."""
        await self._impaired.send(json.dumps(data, separators=(",", ":"), ensure_ascii=False))

    async def close(self, code: int = 1000, reason: str | None = None) -> None:
        """Close after what was sent before (the close crosses the link too)."""
        await self._impaired.close(code, reason or "")


@contextlib.asynccontextmanager
async def impaired_websocket(
    ws: WebSocket, profile: NetProfile, clock: Clock
) -> AsyncIterator[ImpairedWebSocket]:
    """``ws`` behind ``profile`` for the ``async with`` block (the server's side)."""
    async with impair_socket(
        StarletteMessageSocket(ws), profile, clock, seed=next(_SEEDS), server_side=True
    ) as impaired:
        yield ImpairedWebSocket(ws, impaired)
