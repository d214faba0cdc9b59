"""decode_audio: every client format decodes to float32 mono; bad input fails clearly."""

from __future__ import annotations

import io
import pathlib
import tracemalloc

import numpy as np
import pytest

from tests.audio.media_factory import (
    OPUS_RATES_HZ,
    SPECS,
    encode,
    encode_tone,
    long_silence_adts,
    png_image,
    riff_wav_header_only,
    tone,
    video_only_matroska,
    video_only_mp4,
)
from workbench.audio import DecodedAudio, decode_audio
from workbench.errors import AudioDecodeError, AudioError

LOSSLESS = ("wav_s16", "wav_s24", "wav_s32", "wav_f32", "flac")
TRUNCATABLE = (
    "m4a_aac",
    "m4a_aac_faststart",
    "m4a_aac_fragmented",
    "mp3",
    "flac",
    "ogg_opus",
    "webm_opus",
    "wav_s16",
)


def dominant_frequency_hz(samples: np.ndarray, sample_rate_hz: int) -> float:
    spectrum = np.abs(np.fft.rfft(samples * np.hanning(len(samples))))
    return float(np.argmax(spectrum) * sample_rate_hz / len(samples))


def decode_code(source: object, **kwargs: object) -> str:
    with pytest.raises(AudioDecodeError) as info:
        decode_audio(source, **kwargs)  # type: ignore[arg-type]
    assert info.value.message  # every error names the problem
    return info.value.code


# ---------------------------------------------------------------- formats and rates
@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_format_decodes_to_float32_mono_at_its_own_rate(name: str) -> None:
    audio = decode_audio(encode_tone(name, sample_rate_hz=48000, frequency_hz=440.0))

    assert isinstance(audio, DecodedAudio)
    assert audio.samples.dtype == np.float32 and audio.samples.ndim == 1
    assert audio.sample_rate_hz == 48000
    # Lossy codecs add priming/padding of a few ms; nothing more.
    assert audio.duration_s == pytest.approx(1.0, abs=0.05)
    assert np.abs(audio.samples).max() <= 1.0
    assert dominant_frequency_hz(audio.samples, 48000) == pytest.approx(440.0, abs=3.0)
    assert audio.channels_in == 1
    assert audio.source_format and audio.codec


@pytest.mark.parametrize(
    ("name", "rate_hz"),
    [
        *[(name, rate) for name in ("wav_s16", "flac") for rate in (8000, 22050, 44100, 96000)],
        *[("mp3", rate) for rate in (8000, 16000, 22050, 44100)],
        *[("ogg_opus", rate) for rate in OPUS_RATES_HZ if rate != 48000],
        ("m4a_aac", 16000),
        ("m4a_aac", 44100),
    ],
)
def test_any_sample_rate_from_8_to_96_khz(name: str, rate_hz: int) -> None:
    audio = decode_audio(encode_tone(name, sample_rate_hz=rate_hz, frequency_hz=1000.0))

    # Opus always decodes at 48 kHz (that is the codec's design; it stores the input
    # rate as a hint only). Everything else keeps the source rate.
    expected_rate_hz = 48000 if name == "ogg_opus" else rate_hz
    assert audio.sample_rate_hz == expected_rate_hz
    assert audio.duration_s == pytest.approx(1.0, abs=0.07)
    assert dominant_frequency_hz(audio.samples, expected_rate_hz) == pytest.approx(1000, abs=4)


@pytest.mark.parametrize("name", LOSSLESS)
def test_lossless_formats_keep_the_samples(name: str) -> None:
    signal = tone(0.5, 16000, amplitude=0.5)
    audio = decode_audio(encode(signal, 16000, SPECS[name]))

    # PCM16 quantisation is the coarsest of these: half a step is 1.5e-5.
    np.testing.assert_allclose(audio.samples, signal[0], atol=2e-5)


@pytest.mark.parametrize("name", ["wav_u8", "wav_mulaw"])
def test_8_bit_and_mu_law_wav_decode_to_the_right_level(name: str) -> None:
    signal = tone(0.5, 8000, amplitude=0.5)
    audio = decode_audio(encode(signal, 8000, SPECS[name]))

    np.testing.assert_allclose(audio.samples, signal[0], atol=0.02)


@pytest.mark.parametrize("name", ["wav_s16", "flac", "mp3", "ogg_opus", "m4a_aac"])
def test_stereo_is_averaged_to_mono(name: str) -> None:
    # Left channel 0.5, right 0.25 (same phase): the average has amplitude 0.375.
    audio = decode_audio(encode_tone(name, channels=2, sample_rate_hz=48000))

    assert audio.channels_in == 2
    middle = audio.samples[4800:-4800]
    rms_expected = 0.375 / np.sqrt(2)
    tolerance = 1e-3 if name in LOSSLESS else 0.05
    assert np.sqrt(np.mean(middle**2)) == pytest.approx(rms_expected, rel=tolerance)


def test_multichannel_wav_is_averaged_to_mono() -> None:
    signal = tone(0.25, 16000, channels=6, amplitude=0.6)
    audio = decode_audio(encode(signal, 16000, SPECS["wav_f32"]))

    assert audio.channels_in == 6
    np.testing.assert_allclose(audio.samples, signal.mean(axis=0), atol=1e-6)


def test_float_wav_beyond_full_scale_is_clipped() -> None:
    signal = tone(0.1, 16000, amplitude=1.5)
    audio = decode_audio(encode(signal, 16000, SPECS["wav_f32"]))

    assert audio.samples.max() == 1.0 and audio.samples.min() == -1.0


def test_samples_are_read_only_and_duration_is_derived() -> None:
    audio = decode_audio(encode_tone("wav_s16", sample_rate_hz=16000))

    assert audio.duration_s == len(audio.samples) / 16000
    with pytest.raises(ValueError, match="read-only"):
        audio.samples[0] = 1.0


# ---------------------------------------------------------------- kinds of source
def test_path_pathlike_and_file_objects_give_the_same_audio(tmp_path: pathlib.Path) -> None:
    data = encode_tone("flac", sample_rate_hz=16000)
    path = tmp_path / "clip.flac"
    path.write_bytes(data)

    class Pipe(io.RawIOBase):  # a non-seekable stream, like a socket or stdin
        def __init__(self, payload: bytes) -> None:
            self._inner = io.BytesIO(payload)

        def readable(self) -> bool:
            return True

        def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
            chunk = self._inner.read(min(len(buffer), 1000))
            buffer[: len(chunk)] = chunk
            return len(chunk)

    reference = decode_audio(data).samples
    with path.open("rb") as file:
        from_file = decode_audio(file).samples
    for result in (
        decode_audio(str(path)).samples,
        decode_audio(path).samples,
        from_file,
        decode_audio(io.BufferedReader(Pipe(data))).samples,
        decode_audio(bytearray(data)).samples,
        decode_audio(memoryview(data)).samples,
    ):
        np.testing.assert_array_equal(result, reference)


def test_a_path_string_is_never_treated_as_a_url() -> None:
    with pytest.raises(AudioError, match="cannot open audio file"):
        decode_audio("http://127.0.0.1:9/clip.wav")


def test_a_missing_file_is_an_audio_error(tmp_path: pathlib.Path) -> None:
    with pytest.raises(AudioError, match=r"missing\.wav"):
        decode_audio(tmp_path / "missing.wav")


# ---------------------------------------------------------------- arrays
@pytest.mark.parametrize(
    ("dtype", "full_scale"),
    [
        (np.int8, 127),
        (np.int16, 32767),
        (np.int32, 2**31 - 1),
        (np.uint8, 255),
        (np.float32, 1.0),
        (np.float64, 1.0),
    ],
)
def test_arrays_of_any_dtype_map_full_scale_to_one(dtype: type, full_scale: float) -> None:
    x = np.array([0, full_scale, full_scale, 0], dtype=dtype)
    audio = decode_audio(x, sample_rate_hz=8000)

    assert audio.samples.dtype == np.float32
    assert audio.samples[1] == pytest.approx(1.0, abs=0.01)
    assert audio.codec == np.dtype(dtype).name and audio.source_format == "ndarray"


def test_unsigned_8_bit_silence_is_zero() -> None:
    audio = decode_audio(np.full(100, 128, np.uint8), sample_rate_hz=8000)
    assert not audio.samples.any()


@pytest.mark.parametrize("layout", ["n_by_channels", "channels_by_n"])
def test_2d_arrays_use_the_short_axis_as_channels(layout: str) -> None:
    left = np.full(1000, 0.5, np.float32)
    right = np.full(1000, 0.25, np.float32)
    stacked = np.stack([left, right])
    x = stacked.T if layout == "n_by_channels" else stacked
    audio = decode_audio(x, sample_rate_hz=16000)

    assert audio.channels_in == 2 and len(audio.samples) == 1000
    np.testing.assert_allclose(audio.samples, 0.375)


@pytest.mark.parametrize(
    ("x", "match"),
    [
        (np.zeros((100, 100), np.float32), "channel axis"),
        (np.zeros((2, 3, 4), np.float32), "1-D or 2-D"),
        (np.zeros(10, np.int64), "int64"),
        (np.zeros(10, np.complex64), "complex64"),
    ],
)
def test_arrays_of_unknown_layout_or_dtype_are_refused(x: np.ndarray, match: str) -> None:
    with pytest.raises(AudioError, match=match):
        decode_audio(x, sample_rate_hz=16000)


def test_array_arguments_are_checked() -> None:
    x = np.zeros(100, np.float32)
    with pytest.raises(AudioError, match="sample_rate_hz is required"):
        decode_audio(x)
    with pytest.raises(AudioError, match="sample_rate_hz=5"):
        decode_audio(x, sample_rate_hz=5)
    with pytest.raises(AudioError, match="only for array input"):
        decode_audio(encode_tone("wav_s16"), sample_rate_hz=16000)
    assert decode_code(np.array([0.0, np.nan], np.float32), sample_rate_hz=16000) == "corrupt"


# ---------------------------------------------------------------- bad input
def test_empty_input_in_every_form(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.wav"
    empty.write_bytes(b"")
    assert decode_code(b"") == "empty_input"
    assert decode_code(empty) == "empty_input"
    assert decode_code(io.BytesIO()) == "empty_input"
    assert decode_code(np.zeros(0, np.float32), sample_rate_hz=16000) == "empty_input"


@pytest.mark.parametrize(
    "data",
    [
        b"Hello, this is a text file and not a recording.\n" * 40,
        b'{"type": "input_audio_buffer.append"}',
        png_image(),
        np.random.default_rng(7).integers(0, 256, 4000, dtype=np.uint8).tobytes(),
    ],
    ids=["text", "json", "png", "random_bytes"],
)
def test_things_that_are_not_audio(data: bytes) -> None:
    assert decode_code(data) == "not_audio"


@pytest.mark.parametrize("data", [video_only_mp4(), video_only_matroska()], ids=["mp4", "mkv"])
def test_a_video_without_sound_has_no_audio_track(data: bytes) -> None:
    with pytest.raises(AudioDecodeError, match="no audio track") as info:
        decode_audio(data)
    assert info.value.code == "no_audio_track"


@pytest.mark.parametrize(
    "name",
    TRUNCATABLE,
)
@pytest.mark.parametrize("keep", [0.5, 0.02], ids=["cut_in_half", "header_only"])
def test_truncated_files_are_corrupt(name: str, keep: float) -> None:
    data = encode_tone(name, duration_s=2.0)
    assert decode_code(data[: max(100, int(len(data) * keep))]) == "corrupt"


def test_a_wav_header_without_data_is_corrupt() -> None:
    with pytest.raises(AudioDecodeError, match="truncated") as info:
        decode_audio(riff_wav_header_only())
    assert info.value.code == "corrupt"
    assert info.value.http_status == 422


def test_too_large_input_is_refused_before_decoding(tmp_path: pathlib.Path) -> None:
    data = encode_tone("wav_s16", sample_rate_hz=16000)
    path = tmp_path / "clip.wav"
    path.write_bytes(data)
    limit = len(data) - 1

    assert decode_code(data, max_bytes=limit) == "too_large"
    assert decode_code(path, max_bytes=limit) == "too_large"
    assert decode_code(io.BytesIO(data), max_bytes=limit) == "too_large"
    assert decode_code(np.zeros(1000, np.float32), sample_rate_hz=8000, max_bytes=100) == (
        "too_large"
    )
    assert decode_audio(data, max_bytes=len(data)).duration_s == pytest.approx(1.0)


def test_too_long_audio_is_refused() -> None:
    data = encode_tone("flac", duration_s=2.0, sample_rate_hz=8000)
    with pytest.raises(AudioDecodeError, match=r"1\.5 s") as info:
        decode_audio(data, max_duration_s=1.5)
    assert (info.value.code, info.value.http_status) == ("too_long", 413)
    assert decode_code(np.zeros(8001, np.float32), sample_rate_hz=8000, max_duration_s=1.0) == (
        "too_long"
    )
    assert decode_audio(data, max_duration_s=None).duration_s == pytest.approx(2.0)


def test_an_hour_of_compressed_silence_fails_without_filling_memory() -> None:
    # ~300 kB of AAC that would decode to an hour: 115 MB of float32 at 8 kHz.
    data = long_silence_adts(3600.0, sample_rate_hz=8000)
    full_decode_bytes = 3600 * 8000 * 4

    tracemalloc.start()
    try:
        with pytest.raises(AudioDecodeError) as info:
            decode_audio(data, max_duration_s=600.0)
        _, peak_bytes = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert info.value.code == "too_long"
    # Memory is bounded by the 600 s limit (19 MB), not by the file's hour.
    assert peak_bytes < full_decode_bytes / 4
