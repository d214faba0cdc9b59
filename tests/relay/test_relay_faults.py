"""Every mock fault surfaces as the right RelayEvent, and nothing hangs."""

from __future__ import annotations

import asyncio

from tests.support.signals import AUDIO_DIR
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import MonotonicClock, VirtualClock
from workbench.mock.model import Fault, LatencyModel, MockConfig
from workbench.relay import (
    AudioOut,
    Relay,
    RelayConfig,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    TurnDone,
)

CLIP = AUDIO_DIR / "en_hear_48k_pcm16.wav"


async def _one_turn(
    fault: Fault,
    config: RelayConfig | None = None,
    *,
    virtual: bool = True,
    latency: LatencyModel | None = None,
) -> list[RelayEvent]:
    clock = VirtualClock() if virtual else MonotonicClock()
    mock = MockConfig(fault=fault, latency=latency or LatencyModel(ttfa_ms=50.0))
    async with Relay(InProcessBackend(mock, clock=clock), config, clock=clock) as relay:
        await relay.send_file(CLIP)
        async with asyncio.timeout(10):
            return [e async for e in relay.events_until_turn_done()]


async def test_error_event_mid_response_is_reported_and_the_turn_fails() -> None:
    events = await _one_turn(Fault("error", after_deltas=2))
    errors = [e for e in events if isinstance(e, RelayError)]
    assert errors and not errors[0].fatal
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["failed"]


async def test_close_mid_response_reconnects_and_says_so() -> None:
    events = await _one_turn(Fault("close_mid_response", after_deltas=2))
    err = next(e for e in events if isinstance(e, RelayError))
    assert err.code == "upstream_closed" and err.retryable and not err.fatal
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["failed"]


async def test_rate_limit_is_retryable_and_ends_the_turn() -> None:
    events = await _one_turn(Fault("rate_limit"))
    err = next(e for e in events if isinstance(e, RelayError))
    assert err.code == "rate_limit_exceeded" and err.retryable
    assert not any(isinstance(e, AudioOut) for e in events)
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["failed"]


async def test_malformed_frame_is_reported_and_the_reply_still_completes() -> None:
    events = await _one_turn(Fault("malformed_frame", after_deltas=1))
    err = next(e for e in events if isinstance(e, RelayError))
    assert err.code == "protocol_error" and not err.fatal
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["completed"]


async def test_stall_longer_than_the_timeout_becomes_upstream_timeout() -> None:
    config = RelayConfig(response_timeout_s=0.3, max_reconnects=0)
    events = await _one_turn(Fault("stall", after_deltas=1, stall_s=5.0), config, virtual=False)
    err = next(e for e in events if isinstance(e, RelayError))
    assert err.code == "upstream_timeout"
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["failed"]


async def test_session_cap_ends_the_session_with_a_clear_event() -> None:
    clock = VirtualClock()
    mock = MockConfig(fault=Fault("session_cap", session_cap_s=1.0))
    async with Relay(InProcessBackend(mock, clock=clock), clock=clock) as relay:
        await clock.sleep_until(2_000)
        async with asyncio.timeout(5):
            events = [e async for e in relay]
    err = next(e for e in events if isinstance(e, RelayError))
    assert err.code == "session_expired" and err.fatal
    assert events[-1] == SessionEnded(reason="session_cap")


async def test_session_cap_rolls_over_to_a_new_session_when_asked() -> None:
    clock = VirtualClock()
    mock = MockConfig(fault=Fault("session_cap", session_cap_s=1.0))
    config = RelayConfig(on_session_cap="rollover")
    async with Relay(InProcessBackend(mock, clock=clock), config, clock=clock) as relay:
        await clock.sleep_until(1_500)
        infos: list[SessionInfo] = []
        async with asyncio.timeout(5):
            async for e in relay:
                if isinstance(e, SessionInfo):
                    infos.append(e)
                if len(infos) == 2:
                    break
    assert infos[1].reconnected


async def test_a_malformed_frame_loses_none_of_the_audio_due_with_it() -> None:
    clean = await _one_turn(Fault("error", after_deltas=10_000))  # never fires
    faulty = await _one_turn(Fault("malformed_frame", after_deltas=0))

    def reply_bytes(events: list[RelayEvent]) -> bytes:
        return b"".join(e.pcm16 for e in events if isinstance(e, AudioOut))

    assert reply_bytes(faulty) == reply_bytes(clean)
