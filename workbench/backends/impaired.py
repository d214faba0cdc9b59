"""Any backend behind a network profile: the relay ↔ model leg, impaired.

:class:`ImpairedBackend` wraps a :class:`~workbench.backends.base.Backend`; each session
it opens gets its own :class:`~workbench.netem.link.NetemLink`. The relay is the client
of that leg: what it sends takes the uplink, what the model sends takes the downlink.
A message's size is its encoded JSON in the connection's dialect plus the WebSocket
frame header, what the SDK would put on the socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import AsyncIterator
from dataclasses import dataclass

from workbench.backends.base import Backend, BackendInfo, RealtimeConnection
from workbench.clock import Clock, MonotonicClock
from workbench.errors import SessionClosedError
from workbench.netem.delay_line import DelayLine
from workbench.netem.link import NetemLink
from workbench.netem.profiles import NetProfile
from workbench.netem.socket import websocket_wire_bytes
from workbench.protocol.dialects import (
    Dialect,
    dumps,
    encode_client_event,
    encode_server_event,
)
from workbench.protocol.events import ClientEvent, ServerEvent


def client_event_bytes(event: ClientEvent, dialect: Dialect) -> int:
    """Bytes of ``event`` on the socket: compact JSON in ``dialect`` + masked frame header."""
    return websocket_wire_bytes(dumps(encode_client_event(event, dialect)), masked=True)


def server_event_bytes(event: ServerEvent, dialect: Dialect) -> int:
    """Bytes of ``event`` on the socket: compact JSON in ``dialect`` + frame header."""
    return websocket_wire_bytes(dumps(encode_server_event(event, dialect)))


@dataclass(frozen=True, slots=True)
class _End:
    error: BaseException | None


class ImpairedBackend:
    """A backend whose sessions cross ``profile``.

    Parameters
    ----------
    inner : Backend
        The real backend (in-process mock, mock server through the SDK, OpenAI, Azure).
    profile : NetProfile
        The relay ↔ model path.
    clock : Clock, optional
        Time base of the delays; use the inner backend's clock (``VirtualClock`` in tests).
    seed : int or str
        Seed of the first session's link; session ``n`` uses ``f"{seed}:{n}"``.
    """

    def __init__(
        self,
        inner: Backend,
        profile: NetProfile,
        *,
        clock: Clock | None = None,
        seed: int | str = 0,
    ) -> None:
        self.inner = inner
        self.profile = profile
        self.clock = clock if clock is not None else MonotonicClock()
        self.seed = seed
        self._sessions = itertools.count()

    @property
    def info(self) -> BackendInfo:
        """The inner backend's info, with the profile named in the description."""
        inner = self.inner.info
        return BackendInfo(
            kind=inner.kind,
            description=f"{inner.description}, behind network profile {self.profile.name}",
            is_mock=inner.is_mock,
            dialect=inner.dialect,
            model=inner.model,
        )

    async def connect(self) -> ImpairedConnection:
        """Open an inner session and put a fresh link in front of it."""
        conn = await self.inner.connect()
        link = NetemLink(self.profile, f"{self.seed}:{next(self._sessions)}")
        return ImpairedConnection(conn, link, self.clock)


class ImpairedConnection:
    """One upstream session seen through a link (made by :meth:`ImpairedBackend.connect`).

    ``send`` returns once the event is queued (like a socket write); the inner
    connection gets it at its uplink delivery time. Server events are stamped when the
    inner connection yields them and come out at their downlink delivery time, in
    order; an upstream error comes out after the events before it.
    """

    def __init__(self, inner: RealtimeConnection, link: NetemLink, clock: Clock) -> None:
        self.inner = inner
        self.link = link
        self._up: DelayLine[ClientEvent] = DelayLine(link.uplink, clock)
        self._down: DelayLine[ServerEvent | _End] = DelayLine(link.downlink, clock)
        self._send_error: BaseException | None = None
        self._closed = False
        self._writer = asyncio.create_task(self._write(), name="netem-backend-up")
        self._reader = asyncio.create_task(self._read(), name="netem-backend-down")

    @property
    def dialect(self) -> Dialect:
        """The inner connection's dialect."""
        return self.inner.dialect

    async def send(self, event: ClientEvent) -> None:
        """Queue one client event for the uplink.

        Raises
        ------
        SessionClosedError
            After :meth:`close`.
        UpstreamError
            What the inner connection raised on an earlier send.
        """
        if self._closed:
            raise SessionClosedError("the impaired upstream session is closed")
        if self._send_error is not None:
            raise self._send_error
        await self._up.put(event, client_event_bytes(event, self.dialect))

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[ServerEvent]:
        async for item in self._down:
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item

    async def close(self) -> None:
        """Stop both directions and close the inner connection (idempotent)."""
        if self._closed:
            return
        self._closed = True
        for task in (self._writer, self._reader):
            task.cancel()
        for task in (self._writer, self._reader):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        self._up.close()
        self._down.close()
        await self.inner.close()

    async def _write(self) -> None:
        async for event in self._up:
            try:
                await self.inner.send(event)
            except Exception as exc:  # surfaced by the next send()
                self._send_error = exc
                return

    async def _read(self) -> None:
        end = _End(None)
        try:
            async for event in self.inner:
                await self._down.put(event, server_event_bytes(event, self.dialect))
        except Exception as exc:  # delivered in order, after the events before it
            end = _End(exc)
        await self._down.put(end, 2)
