"""G.711 at the relay's edge: negotiated upstream, PCM16 24 kHz for the shell both ways."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest

from tests.support.backends import ProbeBackend
from tests.support.signals import AUDIO_DIR, load_ref, pcm16_to_f32, peak_correlation
from workbench.audio import MODEL_FORMAT
from workbench.backends.inprocess import InProcessBackend
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkSettings
from workbench.clock import VirtualClock
from workbench.mock.model import LatencyModel, MockConfig
from workbench.mock.server import serve_mock
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect
from workbench.relay import AudioOut, Relay, RelayConfig, RelayEvent, TurnDone
from workbench.relay.audio_edge import ReplyDecoder, WireAudio

CLIP = AUDIO_DIR / "en_hear_48k_pcm16.wav"
ECHO = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=100.0, speed_x_realtime=20.0))


def _reply(events: list[RelayEvent]) -> np.ndarray:
    audio = [e for e in events if isinstance(e, AudioOut)]
    assert audio and {a.sample_rate_hz for a in audio} == {MODEL_FORMAT.sample_rate_hz}
    return pcm16_to_f32(b"".join(a.pcm16 for a in audio))


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("law", ["g711_ulaw", "g711_alaw"])
async def test_a_g711_session_round_trips_speech_through_the_in_process_mock(
    dialect: Dialect, law: str
) -> None:
    clock = VirtualClock()
    probe = ProbeBackend(InProcessBackend(ECHO, dialect=dialect, clock=clock))
    config = RelayConfig(chunk_ms=20.0, audio_format=law)  # type: ignore[arg-type]
    async with Relay(probe, config, clock=clock) as relay:
        await relay.send_file(CLIP)
        async with asyncio.timeout(10):
            events = [e async for e in relay.events_until_turn_done()]
    sent = probe.all_sent()
    update = sent[0]
    assert isinstance(update, pe.SessionUpdate)
    assert update.session.input_audio_format == law == update.session.output_audio_format
    appends = [e.audio for e in sent if isinstance(e, pe.InputAudioBufferAppend)]
    assert {len(a) for a in appends[:-1]} == {160}  # 20 ms at 8 kHz, one byte a sample
    # The shell hears its own speech back at 24 kHz, as long as it was (two resamplings
    # and two G.711 codings cost little on band-limited speech: measured 0.997).
    reply = _reply(events)
    assert peak_correlation(reply, load_ref()) > 0.99
    assert abs(len(reply) - len(load_ref())) <= 24
    # Offsets and durations are in ms of the 24 kHz audio the shell got, contiguous.
    audio = [e for e in events if isinstance(e, AudioOut)]
    assert audio[-1].offset_ms + audio[-1].duration_ms == pytest.approx(len(reply) / 24.0)
    # Input accounting uses the wire format's bytes per ms: the clip's ~1.9 s.
    assert relay.input_ms_sent == pytest.approx(sum(map(len, appends)) / 8.0)
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["completed"]


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.PREVIEW])
async def test_a_g711_session_through_the_sdk_and_the_mock_server(dialect: Dialect) -> None:
    async with serve_mock(ECHO) as server:
        settings = SdkSettings(
            target="mock-server", model="gpt-realtime", dialect=dialect, endpoint=server.url
        )
        config = RelayConfig(audio_format="g711_alaw")
        async with Relay(OpenAISdkBackend(settings), config) as relay:
            await relay.send_file(CLIP)
            async with asyncio.timeout(20):
                events = [e async for e in relay.events_until_turn_done()]
        await server.wait_idle(timeout_s=2.0)
    assert peak_correlation(_reply(events), load_ref()) > 0.99
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["completed"]


def test_reply_decoding_in_pieces_equals_decoding_at_once() -> None:
    # The streaming resampler per item: no clicks at delta edges, nothing lost at the end.
    wire = WireAudio("g711_ulaw")
    rng = np.random.default_rng(3)
    codes = rng.integers(0, 256, 8000, dtype=np.uint8).tobytes()
    whole = ReplyDecoder(wire)
    at_once = whole.decode("i", codes) + whole.flush("i")
    pieces = ReplyDecoder(wire)
    sizes = rng.integers(1, 400, 100)
    out, pos = b"", 0
    for size in sizes:
        out += pieces.decode("i", codes[pos : pos + size])
        pos += size
    out += pieces.decode("i", codes[pos:]) + pieces.flush("i")
    assert out == at_once
    assert abs(len(at_once) // 2 - 3 * len(codes)) <= 1  # 8 kHz -> 24 kHz


def test_pcm16_passes_the_edge_untouched() -> None:
    wire = WireAudio("pcm16")
    assert wire.passthrough and wire.rate_hz == MODEL_FORMAT.sample_rate_hz
    assert wire.bytes_per_ms == MODEL_FORMAT.bytes_per_second / 1000.0
    data = bytes(range(256)) * 4
    assert wire.encode(data) == data and ReplyDecoder(wire).decode("i", data) == data
