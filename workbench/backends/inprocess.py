"""The in-process backend: the MockRealtimeModel with no sockets.

For notebooks, fast tests and replays on virtual time. Each ``connect()`` makes a new
model (a new session), so sessions never share state. Every server event still goes
through the dialect encoder and decoder, so what the relay sees is exactly what it
would parse off a socket (a malformed frame from the fault injector included).
"""

from __future__ import annotations

import asyncio
import itertools
from collections import deque
from collections.abc import AsyncIterator
from typing import Any

from workbench.backends.base import Backend, BackendInfo
from workbench.clock import Clock, MonotonicClock
from workbench.errors import SessionClosedError, UpstreamError
from workbench.mock.model import (
    CloseConnection,
    MockConfig,
    MockOutput,
    MockRealtimeModel,
    SendEvent,
    SendRaw,
)
from workbench.protocol.dialects import Dialect, decode_server_event, encode_server_event
from workbench.protocol.events import ClientEvent, ServerEvent

_session_numbers = itertools.count(1)


class InProcessBackend:
    """Backend whose sessions are ``MockRealtimeModel`` instances in this process.

    Parameters
    ----------
    config : MockConfig
        Behaviour, latency model and fault of every session this backend opens.
    dialect : Dialect
        Protocol dialect the model answers in.
    clock : Clock
        Time base for due times; pass a ``VirtualClock`` to run on virtual time.
    """

    def __init__(
        self,
        config: MockConfig | None = None,
        *,
        dialect: Dialect = Dialect.GA,
        clock: Clock | None = None,
        model: str = "gpt-realtime",
    ) -> None:
        self.config = config if config is not None else MockConfig()
        self.dialect = dialect
        self.clock = clock if clock is not None else MonotonicClock()
        self.active_connections = 0
        self._model = model

    @property
    def info(self) -> BackendInfo:
        """Describes the mock (behaviour and time to first audio)."""
        latency = self.config.latency
        return BackendInfo(
            kind="mock",
            description=(
                f"built-in mock model (in-process, {self.config.behaviour}, "
                f"{latency.ttfa_ms:g} ms to first audio)"
            ),
            is_mock=True,
            dialect=self.dialect,
            model=self._model,
        )

    async def connect(self) -> InProcessConnection:
        """Open a new, isolated mock session."""
        return InProcessConnection(self)


class InProcessConnection:
    """A mock session driven on the backend's clock."""

    def __init__(self, backend: InProcessBackend) -> None:
        self._backend = backend
        self._clock = backend.clock
        self._model = MockRealtimeModel(backend.config, backend.dialect)
        self._wakeup = asyncio.Event()
        self._closed = False
        self._pending: deque[MockOutput] = deque()
        self.session_number = next(_session_numbers)
        backend.active_connections += 1
        self._model.start(self._clock.now_ms())

    @property
    def dialect(self) -> Dialect:
        """The dialect the mock answers in."""
        return self._backend.dialect

    async def send(self, event: ClientEvent) -> None:
        """Hand one client event to the model (at the clock's current time)."""
        if self._closed or self._model.closed:
            raise SessionClosedError("the mock session is closed")
        self._model.receive(event, self._clock.now_ms())
        self._wakeup.set()

    def __aiter__(self) -> AsyncIterator[ServerEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[ServerEvent]:
        while not self._closed:
            # Outputs wait in a queue owned by the connection, so a malformed frame
            # (which ends this generator by raising) loses none of the events due with it.
            self._pending.extend(self._model.due(self._clock.now_ms()))
            while self._pending:
                output = self._pending.popleft()
                if isinstance(output, SendEvent):
                    wire = encode_server_event(output.event, self.dialect)
                    yield decode_server_event(wire)
                elif isinstance(output, SendRaw):
                    yield decode_server_event(output.text)  # raises ProtocolError
                elif isinstance(output, CloseConnection):
                    await self.close()
                    raise UpstreamError(
                        f"upstream closed the connection (code {output.code}: {output.reason})",
                        code="upstream_closed",
                        retryable=True,
                    )
            if self._closed:
                return
            await self._wait(self._model.next_due_ms())

    async def _wait(self, due_ms: float | None) -> None:
        # Wait for the next due event or for new input, whichever comes first.
        self._wakeup.clear()
        waker = asyncio.ensure_future(self._wakeup.wait())
        if due_ms is None:
            await waker
            return
        sleeper = asyncio.ensure_future(self._clock.sleep_until(due_ms))
        try:
            await asyncio.wait({waker, sleeper}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (waker, sleeper):
                task.cancel()

    async def close(self) -> None:
        """End the session; the event iterator finishes."""
        if not self._closed:
            self._closed = True
            self._backend.active_connections -= 1
            self._wakeup.set()


def create(env: Any, *, mock_config: Any = None, connect_timeout_s: float = 10.0) -> Backend:
    """The registry's constructor: the in-process mock in ``env``'s dialect and model.

    ``connect_timeout_s`` does not apply (connecting cannot block).
    """
    config = mock_config if isinstance(mock_config, MockConfig) else MockConfig()
    return InProcessBackend(config, dialect=env.dialect, model=env.model)
