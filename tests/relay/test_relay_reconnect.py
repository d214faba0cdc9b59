"""The relay's I/O loop carrying out the machine's reconnect and stall decisions."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import numpy as np
import pytest

from workbench.backends.base import BackendInfo, RealtimeConnection
from workbench.clock import Clock, MonotonicClock, VirtualClock
from workbench.errors import UpstreamError
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import (
    Relay,
    RelayConfig,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    TurnDone,
)


class _Conn:
    """An upstream that drops at once (retryably), or sends ``script`` and stays silent."""

    def __init__(self, drops: bool, script: tuple[object, ...] = ()) -> None:
        self.drops = drops
        self.script = script
        self.sent: list[pe.ClientEvent] = []
        self.closed = asyncio.Event()

    @property
    def dialect(self) -> Dialect:
        return Dialect.GA

    async def send(self, event: pe.ClientEvent) -> None:
        if self.closed.is_set():
            raise UpstreamError("send on a closed test connection", code="upstream_closed")
        self.sent.append(event)

    def __aiter__(self) -> AsyncIterator[pe.ServerEvent]:
        return self._events()

    async def _events(self) -> AsyncIterator[pe.ServerEvent]:
        if self.drops:
            raise UpstreamError("the socket dropped", code="upstream_closed", retryable=True)
        for event in self.script:
            yield event  # type: ignore[misc]  # a broken backend may yield anything
        await self.closed.wait()
        return
        yield  # an async generator that yields nothing

    async def close(self) -> None:
        self.closed.set()


@dataclass
class _FlakyBackend:
    """The first ``drops`` connections drop right after opening; later ones stay silent."""

    clock: Clock
    drops: int
    script: tuple[object, ...] = ()
    connect_times_ms: list[float] = field(default_factory=list)
    conns: list[_Conn] = field(default_factory=list)

    @property
    def info(self) -> BackendInfo:
        return BackendInfo("mock", "flaky test model", True, Dialect.GA, "m")

    async def connect(self) -> RealtimeConnection:
        self.connect_times_ms.append(self.clock.now_ms())
        conn = _Conn(drops=len(self.conns) < self.drops, script=self.script)
        self.conns.append(conn)
        return conn


async def _events_until(relay: Relay, n_infos: int) -> list[RelayEvent]:
    events: list[RelayEvent] = []
    async with asyncio.timeout(5):
        async for event in relay:
            events.append(event)
            if sum(isinstance(e, SessionInfo) for e in events) == n_infos:
                break
    return events


async def test_reconnects_wait_the_doubling_backoff_on_the_injected_clock() -> None:
    clock = VirtualClock()
    backend = _FlakyBackend(clock, drops=3)
    async with Relay(backend, RelayConfig(max_reconnects=3), clock=clock) as relay:
        events = await _events_until(relay, 4)
    # Losses at 0, 250 and 750 ms (virtual): reconnects 0.25, 0.5 and 1.0 s later.
    assert backend.connect_times_ms == [0.0, 250.0, 750.0, 1750.0]
    errors = [(e.code, e.retryable, e.fatal) for e in events if isinstance(e, RelayError)]
    assert errors == [("upstream_closed", True, False)] * 3
    assert [e.reconnected for e in events if isinstance(e, SessionInfo)] == [False] + [True] * 3
    # Every new upstream session got the settings first.
    assert all(isinstance(c.sent[0], pe.SessionUpdate) for c in backend.conns)


async def test_after_max_reconnects_the_session_ends_with_a_fatal_error() -> None:
    clock = VirtualClock()
    backend = _FlakyBackend(clock, drops=10)
    async with Relay(backend, RelayConfig(max_reconnects=2), clock=clock) as relay:
        async with asyncio.timeout(5):
            events = [e async for e in relay]
    assert len(backend.connect_times_ms) == 3
    assert isinstance(events[-2], RelayError) and events[-2].fatal
    assert events[-1] == SessionEnded(reason="error")
    assert relay.closed and all(c.closed.is_set() for c in backend.conns)


async def test_audio_fed_while_reconnecting_is_dropped_not_raised() -> None:
    clock = VirtualClock()
    backend = _FlakyBackend(clock, drops=1)
    config = RelayConfig(chunk_ms=20, max_reconnects=1)
    async with Relay(backend, config, clock=clock) as relay:
        it = aiter(relay)
        assert isinstance(await anext(it), SessionInfo)
        assert isinstance(await anext(it), RelayError)  # the drop; reconnect due at 250 ms
        await relay.feed(np.zeros(480, np.int16), 24_000)
        await relay.commit()
        turn = await anext(it)
        assert isinstance(turn, TurnDone) and turn.status == "failed"
        assert isinstance(await anext(it), SessionInfo)  # reconnected at 250 ms
        await relay.feed(np.zeros(480, np.int16), 24_000)
    first, second = backend.conns
    assert not any(isinstance(e, pe.InputAudioBufferAppend) for e in first.sent)
    assert sum(isinstance(e, pe.InputAudioBufferAppend) for e in second.sent) == 1
    assert relay.input_ms_sent == 20.0


async def test_a_model_silent_after_the_commit_is_a_stall() -> None:
    # Real time: the stall bound runs on the event loop's clock (0.2 s here).
    clock = MonotonicClock()
    backend = _FlakyBackend(clock, drops=0)
    config = RelayConfig(response_timeout_s=0.2, max_reconnects=0)
    async with Relay(backend, config, clock=clock) as relay:
        await relay.feed(np.zeros(4800, np.int16), 24_000)
        await relay.commit()
        async with asyncio.timeout(5):
            events = [e async for e in relay]
    error = next(e for e in events if isinstance(e, RelayError))
    assert error.code == "upstream_timeout" and error.fatal
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["failed"]
    assert events[-1] == SessionEnded(reason="error")


async def test_close_says_why_the_session_ended() -> None:
    clock = VirtualClock()
    relay = Relay(_FlakyBackend(clock, drops=0), clock=clock)
    async with relay:
        await relay.close(reason="idle")
        await relay.close()  # a second close changes nothing
    events = [e async for e in relay]
    assert events[-1] == SessionEnded(reason="idle")
    assert sum(isinstance(e, SessionEnded) for e in events) == 1


class _DeafConn(_Conn):
    async def send(self, event: pe.ClientEvent) -> None:
        raise UpstreamError("the socket dropped", code="upstream_closed", retryable=True)


@dataclass
class _DeafBackend(_FlakyBackend):
    """Connects, but the connection breaks on the first send (the session settings)."""

    async def connect(self) -> RealtimeConnection:
        conn = _DeafConn(drops=False)
        self.conns.append(conn)
        return conn


async def test_a_start_whose_settings_cannot_be_sent_raises_and_ends_the_session() -> None:
    clock = VirtualClock()
    backend = _DeafBackend(clock, drops=0)
    relay = Relay(backend, clock=clock)
    with pytest.raises(UpstreamError):
        await relay.start()
    assert relay.closed and backend.conns[0].closed.is_set()
    events = [e async for e in relay]
    assert events == [SessionEnded(reason="error")]


async def test_an_event_the_relay_cannot_handle_ends_the_session_instead_of_hanging_it() -> None:
    clock = VirtualClock()
    broken = pe.ResponseDone(
        response_id="r1",
        status="completed",
        output=None,  # type: ignore[arg-type]
    )
    backend = _FlakyBackend(clock, drops=0, script=(broken,))
    async with Relay(backend, clock=clock) as relay:
        async with asyncio.timeout(5):
            events = [e async for e in relay]
    error = next(e for e in events if isinstance(e, RelayError))
    assert error.code == "relay_error" and error.fatal
    assert events[-1] == SessionEnded(reason="error")
    assert backend.conns[0].closed.is_set()
