"""Decoder caps that hold whatever the header claims: rate, channels, model-rate budget.

Both decoders (one-shot and streaming) are held to the same caps; the memory these caps
buy on a live server is measured by ``workbench bench abuse``, not here.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audio.media_factory import SPECS, encode, encode_tone, tone
from tests.audio.test_stream_decode import feed_cut_at, feed_in_pieces
from workbench.audio import MODEL_FORMAT, StreamingDecoder, decode_audio, resample
from workbench.audio._limits import MAX_CHANNELS, MAX_SOURCE_RATE_HZ
from workbench.bench.abuse_media import FLAC_MAX_RATE_HZ, encode_silence, wav_bytes
from workbench.errors import AudioDecodeError

MODEL_RATE_HZ = MODEL_FORMAT.sample_rate_hz
#: What an error message must never contain: a Python exception's class or repr.
PYTHON_TEXT = re.compile(r"Error:|Exception|Traceback|NoneType|object has no attribute")


def refusal(data: bytes, **kwargs: object) -> AudioDecodeError:
    """The error of a one-shot decode of ``data`` (fails the test if it decodes)."""
    with pytest.raises(AudioDecodeError) as info:
        decode_audio(data, **kwargs)  # type: ignore[arg-type]
    return info.value


def streaming_refusal(data: bytes, **kwargs: float) -> AudioDecodeError:
    """The error of a streaming decode of ``data`` fed in 4 kB pieces."""
    with pytest.raises(AudioDecodeError) as info:
        feed_in_pieces(data, [4096], **kwargs)
    return info.value


MALFORMED_WAVS: dict[str, tuple[bytes, str, int]] = {
    "unknown codec tag": (wav_bytes(codec_tag=0x1234), "unsupported_codec", 415),
    "float tag with 16 bits": (wav_bytes(codec_tag=3), "unsupported_codec", 415),
    "zero bits per sample": (wav_bytes(bits_per_sample=0), "corrupt", 422),
    "zero channels": (wav_bytes(channels=0), "corrupt", 422),
}


@pytest.mark.parametrize("name", list(MALFORMED_WAVS))
def test_malformed_wav_headers_are_typed_errors_without_python_text(name: str) -> None:
    data, code, status = MALFORMED_WAVS[name]
    for error in (refusal(data), streaming_refusal(data)):
        assert (error.code, error.http_status) == (code, status)
        assert not PYTHON_TEXT.search(error.message), error.message


def test_an_unknown_wav_codec_is_named_in_the_message() -> None:
    assert "0x1234" in refusal(MALFORMED_WAVS["unknown codec tag"][0]).message


@pytest.mark.parametrize(
    "rate_hz",
    [2**31 - 1, 4_000_000, MAX_SOURCE_RATE_HZ + 1, 999, 1],
    ids=["2GHz", "4MHz", "just_above_cap", "999Hz", "1Hz"],
)
def test_absurd_declared_rates_are_refused_before_decoding(rate_hz: int) -> None:
    data = wav_bytes(rate_hz=rate_hz, byte_rate=0, data=bytes(32000))
    for error in (refusal(data), streaming_refusal(data)):
        assert (error.code, error.http_status) == ("unsupported_rate", 415)
        assert str(MAX_SOURCE_RATE_HZ) in error.message


def test_a_flac_bomb_at_655_khz_is_refused_at_its_header() -> None:
    # 20 kB that decodes to 60 s at 655 kHz: 157 MB of float32 if it were decoded.
    data = encode_silence("flac", "flac", "s16", FLAC_MAX_RATE_HZ, 60.0, frame_samples=16384)
    assert len(data) < 40_000
    for error in (refusal(data), streaming_refusal(data)):
        assert error.code == "unsupported_rate"


def test_the_highest_accepted_rate_still_decodes() -> None:
    data = encode_tone("flac", duration_s=0.5, sample_rate_hz=MAX_SOURCE_RATE_HZ)
    assert decode_audio(data).sample_rate_hz == MAX_SOURCE_RATE_HZ


def test_more_channels_than_the_cap_are_refused_and_the_cap_itself_decodes() -> None:
    many = MAX_CHANNELS + 8
    data = wav_bytes(channels=many, data=bytes(2 * many * 1600))
    for error in (refusal(data), streaming_refusal(data)):
        assert (error.code, error.http_status) == ("too_many_channels", 415)
    eight = wav_bytes(channels=MAX_CHANNELS, data=bytes(2 * MAX_CHANNELS * 1600))
    assert decode_audio(eight).channels_in == MAX_CHANNELS


def test_output_rate_resamples_while_decoding_like_the_one_shot_resampler() -> None:
    data = encode_tone("flac", duration_s=1.0, sample_rate_hz=48000)
    source = decode_audio(data)
    at_model_rate = decode_audio(data, output_rate_hz=MODEL_RATE_HZ)

    assert at_model_rate.sample_rate_hz == MODEL_RATE_HZ
    assert at_model_rate.source_rate_hz == 48000
    np.testing.assert_allclose(
        at_model_rate.samples, resample(source.samples, 48000, MODEL_RATE_HZ), atol=1e-6
    )
    assert source.source_rate_hz is None  # not resampled: the rate is the source's


def test_the_duration_limit_counts_seconds_at_the_output_rate() -> None:
    data = encode_tone("flac", duration_s=2.0, sample_rate_hz=96000)
    assert decode_audio(data, max_duration_s=2.1, output_rate_hz=MODEL_RATE_HZ).duration_s == (
        pytest.approx(2.0, abs=0.01)
    )
    for error in (
        refusal(data, max_duration_s=1.5, output_rate_hz=MODEL_RATE_HZ),
        streaming_refusal(data, max_duration_s=1.5, output_rate_hz=MODEL_RATE_HZ),
    ):
        assert (error.code, error.http_status) == ("too_long", 413)


def test_max_decoded_bytes_refuses_what_expands_too_far() -> None:
    data = encode_tone("flac", duration_s=2.0, sample_rate_hz=48000)
    limit = 24000 * 4  # one second at the model rate
    error = refusal(data, output_rate_hz=MODEL_RATE_HZ, max_decoded_bytes=limit)
    assert (error.code, error.http_status) == ("too_large", 413)
    assert decode_audio(data, output_rate_hz=MODEL_RATE_HZ, max_decoded_bytes=2 * limit + 4096)


def test_the_streaming_in_flight_cap_refuses_one_piece_that_expands_too_far() -> None:
    data = encode_tone("flac", duration_s=2.0, sample_rate_hz=48000)
    cap = 48000 * 4  # one second of decoded float32 may wait for the caller
    decoder = StreamingDecoder(max_decoded_bytes=cap)
    with pytest.raises(AudioDecodeError) as info:
        decoder.feed(data)  # two seconds in one piece
    assert info.value.code == "too_large"
    # The same bytes in small pieces never have more than a few frames in flight.
    samples, _ = feed_in_pieces(data, [2048], max_decoded_bytes=cap)
    assert len(samples) == 96000


@pytest.mark.parametrize("name", ["wav_s16", "flac", "ogg_opus", "webm_opus"])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cuts=st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=20))
def test_streaming_at_the_model_rate_equals_one_shot(name: str, cuts: list[float]) -> None:
    data = encode_tone(name, duration_s=1.0, sample_rate_hz=48000, channels=2)
    expected = decode_audio(data, output_rate_hz=MODEL_RATE_HZ).samples
    samples, rate_hz = feed_cut_at(
        data, [int(c * len(data)) for c in cuts], output_rate_hz=MODEL_RATE_HZ
    )
    assert rate_hz == MODEL_RATE_HZ
    np.testing.assert_allclose(samples, expected, atol=1e-6)


def test_an_mp3_streamed_at_the_model_rate_keeps_its_gapless_length() -> None:
    data = encode_tone("mp3", duration_s=1.0, sample_rate_hz=48000)
    expected = decode_audio(data, output_rate_hz=MODEL_RATE_HZ).samples
    samples, _ = feed_in_pieces(data, [1500], output_rate_hz=MODEL_RATE_HZ)
    assert abs(len(samples) - len(expected)) <= 1
    n = min(len(samples), len(expected)) - 64  # the very end saw the encoder padding
    np.testing.assert_allclose(samples[:n], expected[:n], atol=1e-4)


def test_arrays_take_the_output_rate_too() -> None:
    x = tone(1.0, 16000)[0]
    decoded = decode_audio(x, sample_rate_hz=16000, output_rate_hz=MODEL_RATE_HZ)
    assert (decoded.sample_rate_hz, decoded.source_rate_hz) == (MODEL_RATE_HZ, 16000)
    assert len(decoded.samples) == MODEL_RATE_HZ


def test_a_lossless_stereo_file_at_the_model_rate_is_not_resampled() -> None:
    samples = tone(0.5, MODEL_RATE_HZ, channels=2)
    data = encode(samples, MODEL_RATE_HZ, SPECS["wav_f32"])
    decoded = decode_audio(data, output_rate_hz=MODEL_RATE_HZ)
    np.testing.assert_allclose(decoded.samples, samples.mean(axis=0), atol=1e-7)
    assert decoded.source_rate_hz is None
