"""The relay ↔ model leg behind a profile (ImpairedBackend), on virtual time."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.signals import AUDIO_DIR, load_ref, pcm16_to_f32, peak_correlation
from workbench.backends.impaired import ImpairedBackend, client_event_bytes
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.errors import SessionClosedError
from workbench.mock.model import LatencyModel, MockConfig
from workbench.netem.profiles import PROFILES, LinkParams, NetProfile
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import AudioOut, Relay


def _mock(clock: VirtualClock) -> InProcessBackend:
    return InProcessBackend(
        MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=300.0)), clock=clock
    )


async def _one_turn(relay: Relay) -> list[object]:
    await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
    return [e async for e in relay.events_until_turn_done()]


async def test_fixed_delays_add_exactly_one_crossing_each_way_to_model_ttfb() -> None:
    fixed = NetProfile("fixed", LinkParams(delay_ms=40.0), LinkParams(delay_ms=60.0))
    clock = VirtualClock()
    async with (
        asyncio.timeout(30),
        Relay(ImpairedBackend(_mock(clock), fixed, clock=clock), clock=clock) as relay,
    ):
        await _one_turn(relay)
    turn = relay.timeline.turns[0]
    # commit travels 40 ms up, the model answers 300 ms later, the delta 60 ms down
    assert turn.model_ttfb_ms == pytest.approx(300.0 + 40.0 + 60.0, abs=1.0)


async def test_reply_audio_is_intact_behind_a_lossy_jittery_link() -> None:
    clock = VirtualClock()
    backend = ImpairedBackend(_mock(clock), PROFILES["3g-lossy"], clock=clock, seed=3)
    async with asyncio.timeout(30), Relay(backend, clock=clock) as relay:
        events = await _one_turn(relay)
    audio = b"".join(e.pcm16 for e in events if isinstance(e, AudioOut))
    ref = load_ref("ref_en_hear_24k_pcm16.wav")
    assert peak_correlation(pcm16_to_f32(audio), ref) > 0.99  # nothing lost or reordered


async def test_same_seed_same_timeline() -> None:
    async def run(seed: int) -> dict[str, float]:
        clock = VirtualClock()
        backend = ImpairedBackend(_mock(clock), PROFILES["4g"], clock=clock, seed=seed)
        async with asyncio.timeout(30), Relay(backend, clock=clock) as relay:
            await _one_turn(relay)
        return dict(relay.timeline.turns[0].marks_ms)

    assert await run(1) == await run(1)
    assert await run(1) != await run(2)


async def test_info_names_the_profile_and_closed_sessions_refuse_sends() -> None:
    clock = VirtualClock()
    backend = ImpairedBackend(_mock(clock), PROFILES["wifi"], clock=clock)
    assert "wifi" in backend.info.description and backend.info.is_mock
    conn = await backend.connect()
    await conn.close()
    await conn.close()  # idempotent
    with pytest.raises(SessionClosedError):
        await conn.send(pe.InputAudioBufferCommit())
    assert [e async for e in conn] == []


def test_client_event_size_is_the_encoded_json_plus_a_masked_frame_header() -> None:
    size = client_event_bytes(pe.InputAudioBufferCommit(), Dialect.GA)
    assert size == len('{"type":"input_audio_buffer.commit"}') + 2 + 4
