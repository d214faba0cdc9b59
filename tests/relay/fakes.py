"""Fakes for relay tests: a backend wrapper that records every client event sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field

from workbench.backends.base import Backend, BackendInfo, RealtimeConnection
from workbench.protocol.dialects import Dialect
from workbench.protocol.events import ClientEvent, ServerEvent


@dataclass
class RecordingBackend:
    """Wraps a real backend; keeps the client events of every connection, in order."""

    inner: Backend
    sent: list[list[ClientEvent]] = field(default_factory=list)
    open_connections: int = 0

    @property
    def info(self) -> BackendInfo:
        return self.inner.info

    async def connect(self) -> RealtimeConnection:
        conn = await self.inner.connect()
        log: list[ClientEvent] = []
        self.sent.append(log)
        self.open_connections += 1
        return _RecordingConnection(conn, log, self)

    def all_sent(self) -> list[ClientEvent]:
        return [e for log in self.sent for e in log]


class _RecordingConnection:
    def __init__(self, inner: RealtimeConnection, log: list[ClientEvent], owner: RecordingBackend):
        self._inner, self._log, self._owner, self._closed = inner, log, owner, False

    @property
    def dialect(self) -> Dialect:
        return self._inner.dialect

    async def send(self, event: ClientEvent) -> None:
        self._log.append(event)
        await self._inner.send(event)

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return aiter(self._inner)

    async def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._owner.open_connections -= 1
        await self._inner.close()
