"""Impair a message socket (a ``websockets`` connection or anything shaped like one).

:class:`ImpairedSocket` wraps an object with ``send(message)``, ``async for message in
socket`` and ``close(code, reason)`` and puts a :class:`NetemLink` between it and its
user: what the user sends reaches the real socket when the outbound direction delivers
it; what the real socket receives reaches the user when the inbound direction does.
Closing crosses the link too (after the data before it, like a TCP FIN).

The mock server installs one per connection (``workbench mock --net PROFILE``); it is
the server side, so inbound is the profile's uplink and outbound its downlink.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from types import TracebackType
from typing import Protocol

from workbench.clock import Clock
from workbench.netem.delay_line import DelayLine
from workbench.netem.link import NetemLink
from workbench.netem.profiles import NetProfile

#: How long ``close`` waits for queued messages and the close frame to go out (s).
CLOSE_TIMEOUT_S = 30.0

Message = str | bytes


class MessageSocket(Protocol):
    """The part of a ``websockets`` connection the impairment needs."""

    async def send(self, message: Message) -> None:
        """Send one message."""
        ...

    def __aiter__(self) -> AsyncIterator[Message]:
        """Received messages; ends on a clean close, raises on an abnormal one."""
        ...

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close the connection."""
        ...


def websocket_wire_bytes(message: Message, *, masked: bool = False) -> int:
    """Bytes a WebSocket message takes on TCP: payload + frame header (RFC 6455 §5.2).

    Parameters
    ----------
    message : str or bytes
        The payload (text counts as UTF-8).
    masked : bool
        Client-to-server frames carry a 4-byte masking key.

    Returns
    -------
    int
        Payload length + 2, 4 or 10 header bytes (+ 4 when masked); one frame assumed.
    """
    payload = len(message.encode("utf-8")) if isinstance(message, str) else len(message)
    header = 2 if payload <= 125 else 4 if payload <= 0xFFFF else 10
    return payload + header + (4 if masked else 0)


@dataclass(frozen=True, slots=True)
class _End:
    error: BaseException | None


@dataclass(frozen=True, slots=True)
class _Close:
    code: int
    reason: str


class ImpairedSocket:
    """A message socket seen through an impaired link (use as ``async with``).

    Parameters
    ----------
    ws : MessageSocket
        The real connection.
    link : NetemLink
        Link state of this connection.
    clock : Clock
        Time base of the delays.
    server_side : bool
        True when ``ws`` is the server end (inbound = uplink, outbound = downlink).
    """

    def __init__(
        self, ws: MessageSocket, link: NetemLink, clock: Clock, *, server_side: bool = True
    ) -> None:
        self._ws = ws
        self._server_side = server_side
        inbound, outbound = (
            (link.uplink, link.downlink) if server_side else (link.downlink, link.uplink)
        )
        self._inbound: DelayLine[Message | _End] = DelayLine(inbound, clock)
        self._outbound: DelayLine[Message | _Close] = DelayLine(outbound, clock)
        self._send_error: BaseException | None = None
        self._tasks: list[asyncio.Task[None]] = []

    async def __aenter__(self) -> ImpairedSocket:
        self._tasks = [
            asyncio.create_task(self._read(), name="netem-inbound"),
            asyncio.create_task(self._write(), name="netem-outbound"),
        ]
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        for task in self._tasks:
            task.cancel()
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def send(self, message: Message) -> None:
        """Queue ``message``; it reaches the real socket at its modelled delivery time.

        Raises
        ------
        Exception
            Whatever the real socket raised on an earlier send (e.g. ``ConnectionClosed``).
        """
        if self._send_error is not None:
            raise self._send_error
        masked = not self._server_side
        await self._outbound.put(message, websocket_wire_bytes(message, masked=masked))

    def __aiter__(self) -> AsyncIterator[Message]:
        return self._messages()

    async def _messages(self) -> AsyncIterator[Message]:
        async for item in self._inbound:
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    async def close(self, code: int = 1000, reason: str = "") -> None:
        """Close after the messages already sent (bounded by :data:`CLOSE_TIMEOUT_S`)."""
        if self._send_error is None:
            await self._outbound.put(_Close(code, reason), 6)  # a close frame: 2 + 2 + reason
        writer = self._tasks[1] if len(self._tasks) > 1 else None
        if writer is None or writer.done():
            await self._ws.close(code, reason)
            return
        try:
            await asyncio.wait_for(asyncio.shield(writer), CLOSE_TIMEOUT_S)
        except TimeoutError:
            await self._ws.close(code, reason)

    async def _read(self) -> None:
        end = _End(None)
        try:
            async for message in self._ws:
                masked = self._server_side  # client-to-server frames are masked
                await self._inbound.put(message, websocket_wire_bytes(message, masked=masked))
        except Exception as exc:  # handed to the consumer in order, after the data
            end = _End(exc)
        await self._inbound.put(end, 2)

    async def _write(self) -> None:
        async for item in self._outbound:
            if isinstance(item, _Close):
                await self._ws.close(item.code, item.reason)
                return
            try:
                await self._ws.send(item)
            except Exception as exc:
                self._send_error = exc
                return


@contextlib.asynccontextmanager
async def impair_socket(
    ws: MessageSocket,
    profile: NetProfile | None,
    clock: Clock,
    *,
    seed: int | str = 0,
    server_side: bool = True,
) -> AsyncIterator[MessageSocket]:
    """``ws`` behind ``profile`` for the ``async with`` block (``ws`` itself if no profile).

    Parameters
    ----------
    ws : MessageSocket
        The real connection.
    profile : NetProfile or None
        ``None`` (or the transparent ``none`` profile) leaves ``ws`` untouched.
    clock : Clock
        Time base of the delays.
    seed : int or str
        Seed of this connection's link (e.g. the connection number).
    server_side : bool
        True when ``ws`` is the server end of the connection.

    Yields
    ------
    MessageSocket
    """
    if profile is None or profile.is_transparent:
        yield ws
        return
    async with ImpairedSocket(
        ws, NetemLink(profile, seed), clock, server_side=server_side
    ) as impaired:
        yield impaired
