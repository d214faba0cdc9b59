"""The relay against the in-process mock, on virtual time: audio, turns, timeline, hygiene."""

from __future__ import annotations

import asyncio
import math

import numpy as np
import pytest

from tests.support.backends import ProbeBackend
from tests.support.signals import AUDIO_DIR, load_ref, pcm16_to_f32, peak_correlation
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.errors import AudioDecodeError, ConfigError, SessionClosedError
from workbench.mock.model import LatencyModel, MockConfig
from workbench.protocol import events as pe
from workbench.relay import (
    AudioOut,
    Relay,
    RelayConfig,
    SessionEnded,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    TranscriptFinal,
    TurnDone,
)


def backend(clock: VirtualClock, **latency: float) -> InProcessBackend:
    lat = LatencyModel(**{"ttfa_ms": 300.0, **latency})
    return InProcessBackend(MockConfig(behaviour="echo", latency=lat), clock=clock)


async def test_file_in_echo_reply_is_the_input_audio() -> None:
    clock = VirtualClock()
    async with Relay(backend(clock), clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        events = [e async for e in relay.events_until_turn_done()]
    assert isinstance(events[0], SessionInfo) and events[0].is_mock
    reply = pcm16_to_f32(b"".join(e.pcm16 for e in events if isinstance(e, AudioOut)))
    ref = load_ref("ref_en_hear_24k_pcm16.wav")
    assert abs(len(reply) - len(ref)) < 24_000 * 0.05
    assert peak_correlation(reply, ref) > 0.95
    done = [e for e in events if isinstance(e, TurnDone)]
    assert [d.status for d in done] == ["completed"]


async def test_m4a_upload_like_the_seed_gives_the_same_speech_back() -> None:
    clock = VirtualClock()
    async with Relay(backend(clock), clock=clock) as relay:
        await relay.send_file((AUDIO_DIR / "en_hello_44k1_aac_faststart.m4a").read_bytes())
        events = [e async for e in relay.events_until_turn_done()]
    reply = pcm16_to_f32(b"".join(e.pcm16 for e in events if isinstance(e, AudioOut)))
    assert peak_correlation(reply, load_ref("ref_en_hello_24k_pcm16.wav")) > 0.9
    finals = [e for e in events if isinstance(e, TranscriptFinal)]
    assert {f.role for f in finals} == {"user", "assistant"}


async def test_audio_offsets_are_contiguous_within_the_item() -> None:
    clock = VirtualClock()
    async with Relay(backend(clock), clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        audio = [e async for e in relay.events_until_turn_done() if isinstance(e, AudioOut)]
    expected_ms = 0.0
    for piece in audio:
        assert piece.offset_ms == pytest.approx(expected_ms)
        expected_ms += piece.duration_ms
    assert len({a.item_id for a in audio}) == 1


async def test_timeline_stages_are_present_ordered_and_match_the_latency_model() -> None:
    clock = VirtualClock()
    async with Relay(backend(clock, ttfa_ms=300.0), clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        async for _ in relay.events_until_turn_done():
            pass
    turn = relay.timeline.turns[0]
    order = [
        "first_input_audio",
        "commit",
        "response_create",
        "response_created",
        "first_audio_delta",
        "first_audio_out",
        "last_audio_delta",
        "done",
    ]
    times = [turn.marks_ms[s] for s in order]
    assert times == sorted(times)
    assert turn.model_ttfb_ms == pytest.approx(300.0, abs=1.0)
    assert turn.relay_overhead_ms == pytest.approx(0.0, abs=1.0)
    summary = relay.timeline.summary()
    assert summary["ttfa_ms"]["n"] == 1


async def test_server_vad_conversation_has_one_turn_per_utterance() -> None:
    clock = VirtualClock()
    rec = ProbeBackend(backend(clock, ttfa_ms=200.0, speed_x_realtime=math.inf))
    config = RelayConfig(turn_detection=pe.ServerVad())
    events: list[object] = []
    async with Relay(rec, config, clock=clock) as relay:
        consumer = asyncio.create_task(_collect(relay, events))
        await relay.send_file(AUDIO_DIR / "vad_two_utterances_24k_pcm16.wav", pace="realtime")
        silence = np.zeros(24_000, dtype=np.float32)
        await relay.feed(silence, 24_000)
        await clock.sleep_until(clock.now_ms() + 2_000)
        await relay.close()
        await asyncio.wait_for(consumer, 5)
    assert sum(isinstance(e, SpeechStarted) for e in events) == 2
    assert sum(isinstance(e, SpeechStopped) for e in events) == 2
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["completed", "completed"]
    # The model commits by itself under VAD: the relay never sends a commit.
    assert not any(isinstance(e, pe.InputAudioBufferCommit) for e in rec.all_sent())


async def _collect(relay: Relay, into: list[object]) -> None:
    async for event in relay:
        into.append(event)


async def test_close_leaves_no_task_and_no_upstream_session() -> None:
    clock = VirtualClock()
    be = backend(clock)
    before = asyncio.all_tasks()
    async with Relay(be, clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        await anext(aiter(relay))
    await asyncio.sleep(0)
    leftover = {t for t in asyncio.all_tasks() - before if not t.done()}
    assert not {t for t in leftover if t.get_name() != "virtual-clock"}
    assert be.active_connections == 0
    events = [e async for e in relay]
    assert isinstance(events[-1], SessionEnded)


async def test_feeding_a_closed_session_is_a_typed_error() -> None:
    clock = VirtualClock()
    relay = Relay(backend(clock), clock=clock)
    with pytest.raises(SessionClosedError, match="not started"):
        await relay.feed(np.zeros(10, dtype=np.float32), 16_000)
    async with relay:
        pass
    with pytest.raises(SessionClosedError, match="ended"):
        await relay.commit()


async def test_bad_clip_is_refused_before_anything_is_sent() -> None:
    clock = VirtualClock()
    rec = ProbeBackend(backend(clock))
    async with Relay(rec, clock=clock) as relay:
        with pytest.raises(AudioDecodeError) as info:
            await relay.send_file(b"this is not audio at all" * 10)
    assert info.value.code == "not_audio"
    assert not any(isinstance(e, pe.InputAudioBufferAppend) for e in rec.all_sent())


def test_invalid_settings_are_refused_with_the_setting_named() -> None:
    with pytest.raises(ConfigError, match="chunk_ms"):
        RelayConfig(chunk_ms=0)
    with pytest.raises(ConfigError, match="resampler"):
        RelayConfig(resampler="magic")
    with pytest.raises(ConfigError, match="threshold"):
        RelayConfig(turn_detection=pe.ServerVad(threshold=2.0))


async def test_chunk_ms_sets_the_append_size() -> None:
    clock = VirtualClock()
    rec = ProbeBackend(backend(clock))
    async with Relay(rec, RelayConfig(chunk_ms=20), clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        async for _ in relay.events_until_turn_done():
            pass
    appends = [e for e in rec.all_sent() if isinstance(e, pe.InputAudioBufferAppend)]
    assert all(len(a.audio) == 960 for a in appends[:-1])  # 20 ms x 24 kHz x 2 bytes
    assert 0 < len(appends[-1].audio) <= 960


async def test_first_playout_report_stamps_the_turn_and_its_playout_delay() -> None:
    clock = VirtualClock()
    async with Relay(backend(clock), clock=clock) as relay:
        await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        async for event in relay.events_until_turn_done():
            if isinstance(event, AudioOut) and event.offset_ms == 0:
                await clock.sleep_until(clock.now_ms() + 80)  # the player's buffering
                relay.report_playout(0.0, event.item_id)
    turn = relay.timeline.turns[0]
    assert turn.playout_delay_ms == pytest.approx(80.0, abs=1.0)


async def test_a_long_session_does_not_keep_every_finished_response() -> None:
    clock = VirtualClock()
    clip = (AUDIO_DIR / "en_hi_short_24k_pcm16.wav").read_bytes()
    async with Relay(backend(clock, ttfa_ms=10.0, speed_x_realtime=math.inf), clock=clock) as relay:
        for _ in range(12):
            await relay.send_file(clip)
            async for _event in relay.events_until_turn_done():
                pass
    assert len(relay.timeline.turns) == 12
    assert len(relay.responses) <= 4
