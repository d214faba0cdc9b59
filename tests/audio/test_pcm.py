"""PCM16 boundary: clipping never wraps, base64 round trips, WAV files readers accept."""

from __future__ import annotations

import base64
import io

import numpy as np
import pytest
import soundfile
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from workbench.audio import (
    MODEL_FORMAT,
    AudioFormat,
    StreamingWavWriter,
    base64_pcm16_to_float32,
    base64_to_pcm16,
    bytes_to_ms,
    decode_audio,
    float32_to_base64_pcm16,
    float32_to_pcm16,
    ms_to_bytes,
    pcm16_to_base64,
    pcm16_to_float32,
    wav_header,
)
from workbench.errors import AudioError


def as_int16(data: bytes) -> list[int]:
    return np.frombuffer(data, "<i2").tolist()


def test_out_of_range_input_clips_instead_of_wrapping() -> None:
    x = np.array([1.5, -1.5, 1.0, -1.0, 0.0, 1e9, -np.inf, np.inf, np.nan], np.float32)
    expected = [32767, -32768, 32767, -32768, 0, 32767, -32768, 32767, 0]
    assert as_int16(float32_to_pcm16(x)) == expected
    assert len(float32_to_pcm16(x)) == 2 * len(x)


def test_pcm16_is_little_endian() -> None:
    assert float32_to_pcm16(np.array([256 / 32768], np.float32)) == b"\x00\x01"


@given(st.binary(max_size=2000).filter(lambda b: len(b) % 2 == 0))
def test_pcm16_to_float32_and_back_is_lossless(data: bytes) -> None:
    samples = pcm16_to_float32(data)
    assert samples.dtype == np.float32
    assert np.all(samples >= -1.0) and np.all(samples < 1.0)
    assert float32_to_pcm16(samples) == data


@given(arrays(np.float32, st.integers(0, 500), elements=st.floats(-1, 1, width=32)))
def test_float_round_trip_is_within_one_step(x: np.ndarray) -> None:
    back = pcm16_to_float32(float32_to_pcm16(x))
    # Half a step from rounding; +1.0 itself lands one step low, on 32767.
    assert np.all(np.abs(back - x) <= 1 / 32768 + 1e-9)


def test_base64_helpers_round_trip_and_match_the_standard_library() -> None:
    x = np.linspace(-1, 1, 101, dtype=np.float32)
    text = float32_to_base64_pcm16(x)
    assert text == base64.b64encode(float32_to_pcm16(x)).decode()
    assert base64_to_pcm16(text) == float32_to_pcm16(x)
    assert pcm16_to_base64(float32_to_pcm16(x)) == text
    np.testing.assert_allclose(base64_pcm16_to_float32(text), x, atol=1 / 32768)


@pytest.mark.parametrize("text", ["not base64!", "AAA", base64.b64encode(b"\x01").decode()])
def test_bad_base64_is_refused(text: str) -> None:
    with pytest.raises(AudioError) as info:
        base64_to_pcm16(text)
    assert info.value.code == "bad_base64"


def test_odd_pcm16_byte_counts_are_refused() -> None:
    with pytest.raises(AudioError, match="even"):
        pcm16_to_float32(b"\x00\x00\x00")


def test_the_model_format_and_duration_helpers() -> None:
    assert AudioFormat(24000, 1, 2) == MODEL_FORMAT
    assert MODEL_FORMAT.bytes_per_second == 48000
    assert bytes_to_ms(960) == 20.0
    assert ms_to_bytes(20) == 960
    assert ms_to_bytes(0.03) == 2  # rounded to whole frames, never half a sample
    stereo_48k = AudioFormat(48000, 2, 2)
    assert ms_to_bytes(10, stereo_48k) == 1920
    assert bytes_to_ms(1920, stereo_48k) == 10.0
    with pytest.raises(AudioError):
        AudioFormat(24000, 0, 2)


@pytest.mark.parametrize("bits", [8, 16, 24, 32])
def test_wav_header_with_a_known_size_reads_back(bits: int) -> None:
    pcm = bytes(range(256)) * (bits // 8) * 2  # a whole number of frames
    data = wav_header(16000, 2, bits, len(pcm)) + pcm
    info = soundfile.info(io.BytesIO(data))
    assert (info.samplerate, info.channels) == (16000, 2)
    assert info.frames == len(pcm) // (2 * bits // 8)


def test_wav_header_for_unknown_length_uses_ffmpegs_streaming_sizes() -> None:
    header = wav_header(24000, 1, 16, None)
    assert len(header) == 44
    assert header[4:8] == b"\xff\xff\xff\xff" and header[40:44] == b"\xff\xff\xff\xff"


def write_stream(file: io.RawIOBase | io.BytesIO, samples: np.ndarray) -> None:
    with StreamingWavWriter(file, sample_rate_hz=24000, channels=1) as writer:
        for block in np.array_split(samples, 7):
            writer.write(block)
        assert writer.duration_ms == pytest.approx(len(samples) / 24)


class Pipe(io.RawIOBase):
    """A write-only, non-seekable sink (a socket, stdout)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.data += data
        return len(data)


@pytest.mark.parametrize("seekable", [True, False], ids=["file", "pipe"])
def test_streamed_wav_reads_back_in_soundfile_and_ffmpeg(seekable: bool) -> None:
    samples = (np.sin(np.arange(4801) / 10) * 0.5).astype(np.float32)
    sink: io.BytesIO | Pipe = io.BytesIO() if seekable else Pipe()
    write_stream(sink, samples)
    data = sink.getvalue() if isinstance(sink, io.BytesIO) else bytes(sink.data)

    # Seekable: real sizes patched in; pipe: the 0xFFFFFFFF "unknown" sizes stay.
    assert (data[40:44] == b"\xff\xff\xff\xff") is not seekable
    from_soundfile, rate_hz = soundfile.read(io.BytesIO(data), dtype="float32")
    from_ffmpeg = decode_audio(data)
    expected = pcm16_to_float32(float32_to_pcm16(samples))
    assert rate_hz == from_ffmpeg.sample_rate_hz == 24000
    np.testing.assert_array_equal(from_soundfile[: len(expected)], expected)
    np.testing.assert_array_equal(from_ffmpeg.samples, expected)


def test_the_writer_rejects_partial_frames_and_writes_after_close() -> None:
    writer = StreamingWavWriter(io.BytesIO(), sample_rate_hz=16000, channels=2)
    with pytest.raises(AudioError, match="whole number"):
        writer.write_pcm16(b"\x00\x00")
    writer.write_pcm16(b"\x00\x00\x00\x00")
    writer.close()
    with pytest.raises(AudioError, match="closed"):
        writer.write_pcm16(b"\x00\x00\x00\x00")
