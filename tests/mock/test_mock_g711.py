"""G.711 μ-law / A-law in and out of the mock, 8 kHz, in both dialects' spellings."""

from __future__ import annotations

import base64
import math

import numpy as np
import pytest

from tests.mock.mock_helpers import events_of, run_until, silence, speech_like
from workbench.audio.g711 import g711_to_pcm16, pcm16_to_g711
from workbench.mock.model import LatencyModel, MockConfig, MockRealtimeModel
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_server_event

ECHO = MockConfig(latency=LatencyModel(ttfa_ms=10, speed_x_realtime=math.inf, delta_ms=100))
FORMATS = [("g711_ulaw", "ulaw"), ("g711_alaw", "alaw")]


def _tone_8k(ms: float, hz: float = 440.0) -> bytes:
    t = np.arange(round(ms * 8)) / 8000
    return (0.4 * np.sin(2 * np.pi * hz * t) * 32767).astype("<i2").tobytes()


def _snr_db(x: np.ndarray, y: np.ndarray) -> float:
    n = min(len(x), len(y))
    x, y = x[:n].astype(float), y[:n].astype(float)
    return float(10 * np.log10(np.sum(x**2) / max(1e-9, np.sum((x - y) ** 2))))


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize(("fmt", "law"), FORMATS)
def test_g711_round_trip_through_the_echo_model(dialect: Dialect, fmt: str, law: str) -> None:
    model = MockRealtimeModel(ECHO, dialect)
    model.start(0.0)
    settings = pe.SessionSettings(
        turn_detection=pe.NoTurnDetection(),
        input_audio_format=fmt,
        output_audio_format=fmt,  # type: ignore[arg-type]
    )
    model.receive(pe.SessionUpdate(settings), 0.0)
    tone = _tone_8k(1000)
    codes = pcm16_to_g711(tone, 8000, law)  # type: ignore[arg-type]
    for i in range(0, len(codes), 160):  # 20 ms telephone frames
        model.receive(pe.InputAudioBufferAppend(codes[i : i + 160]), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model)

    updated = events_of(out, pe.SessionUpdated)[0].event
    wire = encode_server_event(updated, dialect)["session"]
    if dialect is Dialect.GA:
        expected = {"type": "audio/pcmu" if law == "ulaw" else "audio/pcma"}
        assert wire["audio"]["input"]["format"] == expected
        assert wire["audio"]["output"]["format"] == expected
    else:
        assert wire["input_audio_format"] == wire["output_audio_format"] == fmt
    deltas = [t.event.delta for t in events_of(out, pe.ResponseAudioDelta)]
    assert {len(d) for d in deltas[:-1]} == {800}  # 100 ms of 8 kHz, one byte a sample
    reply = b"".join(deltas)
    assert abs(len(reply) - len(codes)) <= 8  # the same duration came back
    done = events_of(out, pe.ResponseDone)[0].event
    assert done.settings.output_audio_format == fmt
    back = np.frombuffer(g711_to_pcm16(reply, law, 8000), dtype="<i2")  # type: ignore[arg-type]
    sent = np.frombuffer(tone, dtype="<i2")
    # Through the codec twice and 8k -> 24k -> 8k: still the same tone.
    assert _snr_db(sent[400:-400], back[400 : len(sent) - 400]) > 15


def test_server_vad_hears_g711_speech() -> None:
    speech, _ = speech_like([(300, 1500)], 2300)
    pcm_8k = np.frombuffer(speech, dtype="<i2")[::3].astype("<i2").tobytes()
    codes = pcm16_to_g711(pcm_8k, 8000, "ulaw")
    model = MockRealtimeModel(ECHO, Dialect.PREVIEW)
    model.start(0.0)
    model.receive(pe.SessionUpdate(pe.SessionSettings(input_audio_format="g711_ulaw")), 0.0)
    for i in range(0, len(codes), 160):
        model.receive(pe.InputAudioBufferAppend(codes[i : i + 160]), i / 8.0)
    out = run_until(model, 3000.0)
    started = events_of(out, pe.InputAudioBufferSpeechStarted)[0].event
    stopped = events_of(out, pe.InputAudioBufferSpeechStopped)[0].event
    assert started.audio_start_ms == pytest.approx(0, abs=60)  # 300 ms speech - 300 ms padding
    assert stopped.audio_end_ms == pytest.approx(1500, abs=60)


def test_inline_g711_item_audio_is_decoded_for_echo() -> None:
    model = MockRealtimeModel(ECHO, Dialect.GA)
    model.start(0.0)
    settings = pe.SessionSettings(
        turn_detection=pe.NoTurnDetection(), input_audio_format="g711_alaw"
    )
    model.receive(pe.SessionUpdate(settings), 0.0)
    codes = pcm16_to_g711(_tone_8k(500), 8000, "alaw")
    part = {"type": "input_audio", "audio": base64.b64encode(codes).decode()}
    model.receive(
        pe.ConversationItemCreate({"type": "message", "role": "user", "content": [part]}), 0.0
    )
    model.receive(pe.ResponseCreate(), 0.0)
    out = run_until(model)
    reply = b"".join(t.event.delta for t in events_of(out, pe.ResponseAudioDelta))
    assert abs(len(reply) - 500 * 48) <= 96  # 500 ms back as PCM16 24 kHz (output unchanged)
    assert silence(0) == b""
