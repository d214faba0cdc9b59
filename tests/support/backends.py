"""Fakes around real backends: count sessions, log what the relay sends, switch targets."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from workbench.backends.base import Backend, BackendInfo, RealtimeConnection
from workbench.errors import UpstreamError
from workbench.protocol.dialects import Dialect
from workbench.protocol.events import ClientEvent, InputAudioBufferAppend, ServerEvent


@dataclass
class ProbeBackend:
    """Wraps a real backend and observes it.

    Counts open and opened connections, keeps every client event of every connection
    (``sent``), and stamps the first audio append. ``inner`` may be replaced at any
    time: sessions already open keep the backend they were opened with, so one app can
    run a faulty session and a healthy one side by side.
    """

    inner: Backend
    open_connections: int = 0
    connections: int = 0
    appends: int = 0
    first_append_t: float | None = None
    first_append: asyncio.Event = field(default_factory=asyncio.Event)
    sent: list[list[ClientEvent]] = field(default_factory=list)

    @property
    def info(self) -> BackendInfo:
        return self.inner.info

    async def connect(self) -> RealtimeConnection:
        conn = await self.inner.connect()
        log: list[ClientEvent] = []
        self.sent.append(log)
        self.open_connections += 1
        self.connections += 1
        return _ProbeConnection(conn, self, log)

    def all_sent(self) -> list[ClientEvent]:
        """Every client event of every connection, in order."""
        return [e for log in self.sent for e in log]

    async def wait_closed(self, timeout_s: float) -> float:
        """Wait until no connection is open; returns the seconds it took."""
        t0 = time.perf_counter()
        async with asyncio.timeout(timeout_s):
            while self.open_connections:  # noqa: ASYNC110 - a counter, polled at 10 ms
                await asyncio.sleep(0.01)
        return time.perf_counter() - t0


class _ProbeConnection:
    def __init__(
        self, inner: RealtimeConnection, owner: ProbeBackend, log: list[ClientEvent]
    ) -> None:
        self._inner, self._owner, self._log, self._closed = inner, owner, log, False

    @property
    def dialect(self) -> Dialect:
        return self._inner.dialect

    async def send(self, event: ClientEvent) -> None:
        self._log.append(event)
        if isinstance(event, InputAudioBufferAppend):
            self._owner.appends += 1
            if self._owner.first_append_t is None:
                self._owner.first_append_t = time.perf_counter()
                self._owner.first_append.set()
        await self._inner.send(event)

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return aiter(self._inner)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._owner.open_connections -= 1
        await self._inner.close()


class UnreachableBackend:
    """A backend whose model never answers the phone."""

    @property
    def info(self) -> BackendInfo:
        return BackendInfo("openai", "unreachable test model", False, Dialect.GA, "m")

    async def connect(self) -> RealtimeConnection:
        raise UpstreamError(
            "cannot reach the test model", code="upstream_unreachable", retryable=True
        )
