"""The client's voice-to-voice latency from its own timings and the audio on both ends."""

from __future__ import annotations

import numpy as np
import pytest

from workbench.client import ReplyResult, voice_to_voice_of
from workbench.relay.voice_to_voice import Arrivals

RATE_HZ = 24_000


def _tone(n: int) -> np.ndarray:
    return (0.3 * np.sin(np.arange(n) / 4.0)).astype(np.float32)


def _clip() -> np.ndarray:
    """0.2 s silence, 1 s of 'speech', 0.8 s silence: speech ends at 1200 ms of 2000."""
    x = np.zeros(2 * RATE_HZ, dtype=np.float32)
    x[int(0.2 * RATE_HZ) : int(1.2 * RATE_HZ)] = _tone(RATE_HZ)
    return x


def _reply() -> np.ndarray:
    """300 ms of silence, then sound: first audible at 300 ms."""
    x = np.zeros(RATE_HZ, dtype=np.float32)
    x[int(0.3 * RATE_HZ) :] = _tone(int(0.7 * RATE_HZ))
    return x


def _result(*, stream: bool) -> ReplyResult:
    upload = Arrivals()
    for i in range(10):  # a 10 000-byte body in 1000-byte pieces, one every 100 ms
        upload.received(1000, 100.0 * (i + 1))
    reply = Arrivals()
    for i in range(10):  # 100 ms of reply audio (4800 bytes) every 100 ms from 1500 ms
        reply.received(4800, 1500.0 + 100.0 * i)
    return ReplyResult(
        session_id="s",
        ttfb_ms=1500.0,
        upload_ms=1000.0 if stream else None,
        total_ms=2400.0,
        reply_bytes=48_000,
        sample_rate_hz=RATE_HZ,
        stream=stream,
        upload_bytes=10_000,
        upload_sent=upload,
        reply_arrivals=reply,
    )


def test_a_multipart_upload_counts_from_its_last_byte() -> None:
    v2v = voice_to_voice_of(
        _result(stream=False), _clip(), RATE_HZ, _reply(), server_turn={"model_ttfb_ms": 300.0}
    )
    assert v2v is not None
    assert v2v.speech_end_in_clip_ms == pytest.approx(1200.0, abs=2.0)
    assert v2v.speech_end_sent_ms == 1000.0  # the last piece left at 1000 ms
    assert v2v.reply_audible_in_reply_ms == pytest.approx(300.0, abs=2.0)
    assert v2v.reply_audible_arrival_ms == 1800.0  # the piece holding 300 ms arrived then
    assert v2v.total_ms == 800.0
    parts = v2v.decomposition.parts_ms
    assert parts["model"] == 300.0 and parts["buffering"] == 300.0  # 1500 -> 1800
    assert v2v.decomposition.residual_ms == 200.0
    assert v2v.decomposition.missing == ("uplink", "turn_detection", "downlink")


def test_a_streamed_upload_counts_from_the_byte_at_the_speech_end() -> None:
    v2v = voice_to_voice_of(
        _result(stream=True), _clip(), RATE_HZ, _reply(), output_latency_ms=20.0
    )
    assert v2v is not None
    # The last speech sample (just before 1200 ms of 2000) is byte 5999 of 10 000, in
    # the piece [5000, 6000) written at 600 ms.
    assert v2v.speech_end_sent_ms == 600.0
    assert v2v.total_ms == 1800.0 + 20.0 - 600.0
    assert v2v.decomposition.parts_ms["model"] is None  # no server record given


def test_nothing_to_measure_gives_none() -> None:
    silent = np.zeros(RATE_HZ, dtype=np.float32)
    assert voice_to_voice_of(_result(stream=False), silent, RATE_HZ, _reply()) is None
    assert voice_to_voice_of(_result(stream=False), _clip(), RATE_HZ, silent) is None
