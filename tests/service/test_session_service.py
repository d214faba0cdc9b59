"""The session service: limits, end reasons, records, metrics and health for every shell."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import numpy as np
import pytest

from tests.support.backends import ProbeBackend, UnreachableBackend
from tests.support.services import make_service
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.errors import AudioDecodeError, AudioError, LimitError, UpstreamError
from workbench.mock.config import LatencyModel, MockConfig
from workbench.relay import AudioOut, RelayError, RelayEvent, SessionEnded, TurnDone
from workbench.service import EndReason, LiveSession, SessionService

AUDIO = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


def _backend(clock: VirtualClock | None = None, **latency: float) -> ProbeBackend:
    config = MockConfig(latency=LatencyModel(ttfa_ms=20.0, speed_x_realtime=20.0, **latency))
    return ProbeBackend(InProcessBackend(config, clock=clock))


async def _all(events: AsyncIterator[RelayEvent]) -> list[RelayEvent]:
    async with asyncio.timeout(20):
        return [e async for e in events]


async def test_a_clip_round_trip_is_recorded_counted_and_ended_completed() -> None:
    backend = _backend()
    async with make_service(backend) as service:
        session = service.open("upload", manual_commit=True)
        assert service.health()["active_sessions_by_kind"] == {"upload": 1}
        duration_s = await session.send_clip(AUDIO / "en_hello_44k1_aac_faststart.m4a")
        events = await _all(session.events(until_turn_done=True))
        await session.close(EndReason.COMPLETED)
        reply_s = sum(e.duration_ms for e in events if isinstance(e, AudioOut)) / 1000
        assert abs(reply_s - duration_s) < 0.1  # the echo of the whole clip
        assert isinstance(events[-1], TurnDone) and events[-1].status == "completed"
        record = session.record.to_dict()
        assert record["end_reason"] == "completed" and record["status"] == "ended"
        assert record["user_transcript"] and record["turn_count"] == 1
        assert service.health()["active_sessions"] == 0 and backend.open_connections == 0
        metrics = service.metrics.render().decode()
        assert 'workbench_sessions_ended_total{kind="upload",reason="completed"} 1.0' in metrics


async def test_the_concurrent_session_limit_is_a_503_with_retry_after_for_any_shell() -> None:
    async with make_service(_backend(), max_sessions=2) as service:
        first = service.open("talk")
        service.open("websocket")
        with pytest.raises(LimitError) as info:
            service.open("upload")
        assert info.value.code == "too_many_sessions" and info.value.http_status == 503
        assert info.value.retry_after_s is not None and info.value.retry_after_s > 0
        assert "Max concurrent sessions" in info.value.message
        await first.close(EndReason.STOP)
        service.open("upload")  # a slot is free again


async def test_a_clip_that_is_not_audio_or_too_long_never_opens_upstream() -> None:
    backend = _backend()
    async with make_service(backend, max_input_audio_s=1.0) as service:
        session = service.open("upload", manual_commit=True)
        with pytest.raises(AudioDecodeError) as not_audio:
            await session.send_clip(b"hello, I am text " * 100)
        assert not_audio.value.code == "not_audio"
        long_clip = service.open("upload", manual_commit=True)
        with pytest.raises(LimitError) as too_long:
            await long_clip.send_clip(AUDIO / "en_hello_44k1_aac_faststart.m4a")
        assert too_long.value.code == "too_long" and too_long.value.http_status == 413
        assert "1 s per turn (Max input audio per turn" in too_long.value.message
        assert backend.connections == 0
        await session.close(EndReason.REJECTED)
        await long_clip.close(EndReason.LIMIT)
        assert [r.end_reason for r in service.store.recent()] == ["limit", "rejected"]


async def test_streamed_input_over_the_per_turn_limit_is_refused_and_commit_resets_it() -> None:
    async with make_service(_backend(), max_input_audio_s=0.5) as service:
        session = service.open("websocket", manual_commit=True)
        await session.start()
        second_s = np.zeros(24_000, dtype=np.int16)
        await session.feed_samples(second_s[:9600], 24_000)  # 0.4 s
        await session.commit()  # a new turn: the count starts again
        await session.feed_samples(second_s[:9600], 24_000)
        with pytest.raises(LimitError) as info:
            await session.feed_samples(second_s[:4800], 24_000)  # 0.6 s in this turn
        assert info.value.code == "too_long"
        await session.close(EndReason.LIMIT)


async def test_an_idle_session_ends_with_a_fatal_error_and_reason_idle() -> None:
    clock = VirtualClock()
    async with make_service(_backend(clock), clock=clock, idle_timeout_s=5.0) as service:
        session = service.open("websocket")
        await session.start()
        events = await _all(session.events())
        assert clock.now_ms() >= 5000.0
        errors = [e for e in events if isinstance(e, RelayError)]
        assert errors[-1].code == "idle_timeout" and errors[-1].fatal
        assert "Idle timeout" in errors[-1].message
        assert events[-1] == SessionEnded("idle")
        assert session.record.end_reason == EndReason.IDLE and not service.live


async def test_a_busy_session_still_ends_at_the_maximum_length() -> None:
    clock = VirtualClock()
    async with make_service(
        _backend(clock), clock=clock, idle_timeout_s=3600.0, max_session_s=10.0
    ) as service:
        session = service.open("talk", manual_commit=True)
        await session.start()

        async def keep_talking() -> None:
            while session.live:
                await session.feed_samples(np.zeros(2400, np.int16), 24_000)
                await session.commit()
                await clock.sleep_until(clock.now_ms() + 1000.0)

        talker = asyncio.create_task(keep_talking())
        events = await _all(session.events())
        talker.cancel()
        assert any(isinstance(e, RelayError) and e.code == "session_too_long" for e in events)
        assert session.record.end_reason == EndReason.LIMIT
        assert 10_000.0 <= clock.now_ms() <= 12_000.0


async def test_an_unreachable_model_fails_start_and_frees_the_slot() -> None:
    async with make_service(UnreachableBackend(), max_sessions=1) as service:
        session = service.open("upload_stream")
        with pytest.raises(UpstreamError):
            await session.start()
        assert session.record.end_reason == EndReason.UPSTREAM_ERROR
        assert not service.live
        service.open("upload_stream")  # the failed one does not hold the only slot


async def test_a_session_the_model_ends_is_recorded_as_upstream_error() -> None:
    config = MockConfig(latency=LatencyModel(ttfa_ms=10.0, speed_x_realtime=50.0))
    capped = MockConfig(latency=config.latency, session_cap_s=0.2)
    async with make_service(InProcessBackend(capped)) as service:
        session = service.open("websocket")
        await session.start()
        events = await _all(session.events())
        assert isinstance(events[-1], SessionEnded)
        assert session.record.end_reason == EndReason.SESSION_CAP
        assert not service.live


async def test_shutdown_ends_every_live_session_and_tells_their_readers() -> None:
    service = make_service(_backend())
    sessions: list[LiveSession] = [service.open(kind) for kind in ("talk", "websocket")]
    for session in sessions:
        await session.start()
    readers = [asyncio.create_task(_all(s.events())) for s in sessions]
    await asyncio.sleep(0.05)
    await service.aclose()
    for reader in readers:
        events = await reader
        assert events[-1] == SessionEnded("shutdown")
        assert any(isinstance(e, RelayError) and e.code == "shutdown" for e in events)
    assert not service.live


def test_services_are_independent_and_configured_from_the_environment() -> None:
    service = SessionService.from_env(
        {"WORKBENCH_MAX_SESSIONS": "3", "WORKBENCH_CHUNK_MS": "20", "WORKBENCH_BACKEND": "mock"}
    )
    assert service.server.max_sessions == 3 and service.defaults.chunk_ms == 20.0
    assert service.health()["backend"]["is_mock"] is True


async def _until_ended(clock: VirtualClock, session: LiveSession, limit_ms: float) -> None:
    """Let virtual time pass (nobody reads the session's events) until it ended."""
    while session.live and clock.now_ms() < limit_ms:
        await clock.sleep_until(clock.now_ms() + 250.0)


async def test_a_client_that_never_reads_its_reply_is_cut_when_the_queue_bound_is_hit() -> None:
    clock = VirtualClock()
    backend = _backend(clock)
    async with make_service(
        backend, clock=clock, max_queued_reply_s=2.0, client_stall_timeout_s=3600.0
    ) as service:
        session = service.open("upload", manual_commit=True)
        await session.send_clip(AUDIO / "en_long_10s_48k_pcm16.wav")  # and commits
        await _until_ended(clock, session, 60_000.0)

        events = await _all(session.events())
        assert session.record.end_reason == EndReason.LIMIT and not service.live
        error = next(e for e in events if isinstance(e, RelayError))
        assert error.code == "client_too_slow" and error.fatal
        assert "Max reply waiting for the client" in error.message
        queued_ms = sum(e.duration_ms for e in events if isinstance(e, AudioOut))
        assert queued_ms <= 2000.0  # never more than the bound was held for it
        assert backend.open_connections == 0  # the paid upstream session is closed
        metrics = service.metrics.render().decode()
        assert 'workbench_client_too_slow_total{rule="queue"} 1.0' in metrics


async def test_a_client_that_stalls_is_cut_after_the_stall_timeout_and_a_reader_is_not() -> None:
    clock = VirtualClock()
    backend = _backend(clock)
    async with make_service(
        backend, clock=clock, max_queued_reply_s=600.0, client_stall_timeout_s=3.0
    ) as service:
        reader = service.open("upload", manual_commit=True)
        await reader.send_clip(AUDIO / "en_long_10s_48k_pcm16.wav")  # and commits
        read = asyncio.create_task(_all(reader.events(until_turn_done=True)))
        stalled = service.open("upload", manual_commit=True)
        await stalled.send_clip(AUDIO / "en_long_10s_48k_pcm16.wav")  # and commits
        await _until_ended(clock, stalled, 60_000.0)

        assert stalled.record.end_reason == EndReason.LIMIT
        assert 3000.0 <= clock.now_ms() <= 6000.0
        assert stalled.record.errors[-1]["code"] == "client_too_slow"
        assert "Client stall timeout" in stalled.record.errors[-1]["message"]
        reply = await read  # read as it came: the whole 10 s echo, never cut
        assert isinstance(reply[-1], TurnDone) and reply[-1].status == "completed"
        assert sum(e.duration_ms for e in reply if isinstance(e, AudioOut)) > 9500.0
        await reader.close(EndReason.COMPLETED)


async def test_the_decoded_size_of_one_streamed_piece_is_bounded_whatever_the_codec() -> None:
    # 16 kB of 8 kHz mu-law is 2 s: 192 kB of float32 at 24 kHz, over a 64 kB bound.
    data = (AUDIO / "en_hello_8k_mulaw.wav").read_bytes()
    async with make_service(_backend(), max_decoded_bytes=64 * 1024) as service:
        session = service.open("upload_stream", manual_commit=True)
        with pytest.raises(LimitError) as info:
            await session.feed_encoded(data)
        assert info.value.code == "too_large" and info.value.http_status == 413
        assert "Max decoded audio in flight" in info.value.message
        await session.close(EndReason.LIMIT)
    async with make_service(_backend()) as service:  # the default bound takes it
        session = service.open("upload_stream", manual_commit=True)
        await session.feed_encoded(data)
        await session.commit()
        events = await _all(session.events(until_turn_done=True))
        assert isinstance(events[-1], TurnDone) and events[-1].status == "completed"
        await session.close(EndReason.COMPLETED)


async def test_a_turn_shorter_than_the_models_minimum_commit_is_a_422_on_any_shell() -> None:
    backend = _backend()
    async with make_service(backend) as service:
        session = service.open("upload_stream", manual_commit=True)
        await session.feed_pcm16(bytes(2 * 1200), 24_000)  # 50 ms
        with pytest.raises(AudioError) as info:
            await session.commit()
        assert info.value.code == "too_short" and info.value.http_status == 422
        assert "50 ms" in info.value.message and "100 ms" in info.value.message
        assert not any(
            type(e).__name__ == "InputAudioBufferCommit" for e in backend.all_sent()
        )  # refused before the model is asked
        await session.close(EndReason.REJECTED)
