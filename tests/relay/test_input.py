"""InputPipeline: exact chunk_ms PCM16 frames, and the same bytes whichever path the audio took."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.audio import float32_to_pcm16
from workbench.errors import AudioDecodeError
from workbench.relay.input import InputPipeline


def _all_frames(pipe: InputPipeline, blocks: list[np.ndarray], rate_hz: int) -> list[bytes]:
    frames = [f for block in blocks for f in pipe.push_array(block, rate_hz)]
    return frames + pipe.end()


def _split(samples: np.ndarray, sizes: list[int]) -> list[np.ndarray]:
    cuts = np.cumsum(sizes)
    return [b for b in np.split(samples, cuts[cuts < len(samples)]) if b.size]


@settings(max_examples=60, deadline=None)
@given(
    chunk_ms=st.sampled_from([10.0, 20.0, 40.0]),
    sizes=st.lists(st.integers(min_value=1, max_value=2500), min_size=1, max_size=20),
)
def test_pcm16_at_the_model_rate_is_framed_exactly_as_the_float_path_frames_it(
    chunk_ms: float, sizes: list[int]
) -> None:
    pcm = np.random.default_rng(len(sizes)).integers(-32768, 32767, sum(sizes), dtype=np.int16)
    blocks = _split(pcm, sizes)
    direct = _all_frames(InputPipeline(chunk_ms, "soxr-hq"), blocks, 24_000)
    # The same samples as float32: decoded, resampled (passthrough), converted back.
    as_float = [b.astype(np.float32) / 32768.0 for b in blocks]
    via_float = _all_frames(InputPipeline(chunk_ms, "soxr-hq"), as_float, 24_000)

    assert direct == via_float
    assert b"".join(direct) == pcm.tobytes()  # nothing lost, nothing added
    frame_bytes = round(chunk_ms * 24) * 2
    assert all(len(f) == frame_bytes for f in direct[:-1])
    assert 0 < len(direct[-1]) <= frame_bytes


def test_a_rate_change_mid_stream_keeps_the_resamplers_tail() -> None:
    tone_48k = np.sin(np.arange(48_000) * 2 * np.pi * 440 / 48_000).astype(np.float32) * 0.5
    pipe = InputPipeline(20.0, "soxr-hq")
    frames = pipe.push_array(tone_48k, 48_000)
    frames += pipe.push_array(np.zeros(2400, np.int16), 24_000)  # now PCM16 at 24 kHz
    frames += pipe.end()
    total_samples = sum(len(f) for f in frames) // 2
    # 1 s at 48 kHz → 24,000 samples, plus 2,400: the resampler's look-ahead was flushed.
    assert total_samples == 24_000 + 2_400


def test_stereo_int16_at_the_model_rate_is_mixed_down_not_framed_raw() -> None:
    left = np.full(480, 1000, np.int16)
    stereo = np.stack([left, -left], axis=1)  # (n, 2): mixes to silence
    (frame,) = InputPipeline(20.0, "soxr-hq").push_array(stereo, 24_000)
    assert frame == float32_to_pcm16(np.zeros(480, np.float32))


def test_frames_do_not_alias_the_callers_buffer() -> None:
    block = np.zeros(480, np.int16)
    (frame,) = InputPipeline(20.0, "soxr-hq").push_array(block, 24_000)
    block[:] = 7
    assert frame == bytes(960)


def test_an_empty_array_is_refused_like_any_empty_input() -> None:
    with pytest.raises(AudioDecodeError) as info:
        InputPipeline(20.0, "soxr-hq").push_array(np.zeros(0, np.int16), 24_000)
    assert info.value.code == "empty_input"
