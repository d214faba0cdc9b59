"""StreamingDecoder: an upload decodes while it arrives and agrees with decode_audio."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.audio.media_factory import encode_tone, png_image
from workbench.audio import StreamingDecoder, decode_audio
from workbench.errors import AudioDecodeError, AudioError

STREAMABLE = (
    "wav_s16",
    "flac",
    "mp3",
    "ogg_opus",
    "webm_opus",
    "m4a_aac_faststart",
    "m4a_aac_fragmented",
)


def clip(name: str) -> bytes:
    return encode_tone(name, duration_s=2.0, sample_rate_hz=48000, channels=2)


def feed_in_pieces(data: bytes, sizes: list[int], **kwargs: float) -> tuple[np.ndarray, int]:
    """Feed ``data`` cut at ``sizes`` (cycled); return all samples and the rate."""
    cuts = []
    position = 0
    while position < len(data):
        position += sizes[len(cuts) % len(sizes)]
        cuts.append(position)
    return feed_cut_at(data, cuts, **kwargs)


def feed_cut_at(data: bytes, cuts: list[int], **kwargs: float) -> tuple[np.ndarray, int]:
    """Feed ``data`` in pieces ending at the byte offsets ``cuts``; return samples, rate."""
    decoder = StreamingDecoder(**kwargs)
    outputs = []
    start = 0
    for end in [*sorted(set(cuts)), len(data)]:
        if end > start:
            outputs.append(decoder.feed(data[start:end]))
            start = end
    outputs.append(decoder.close())
    assert all(out.dtype == np.float32 and out.ndim == 1 for out in outputs)
    assert decoder.sample_rate_hz is not None
    return np.concatenate(outputs), decoder.sample_rate_hz


@pytest.mark.parametrize("name", ["wav_s16", "flac", "mp3", "ogg_opus"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    fractions=st.lists(st.floats(min_value=0.0, max_value=1.0), max_size=40),
    tiny_pieces_at=st.floats(min_value=0.0, max_value=1.0),
)
def test_streaming_in_random_pieces_equals_one_shot(
    name: str, fractions: list[float], tiny_pieces_at: float
) -> None:
    data = clip(name)
    reference = decode_audio(data)
    # Random cut points (pieces of any size from 1 byte to the whole file), plus a run
    # of 1..3-byte pieces somewhere, where header and packet boundaries get split.
    cuts = [round(f * len(data)) for f in fractions]
    run_start = round(tiny_pieces_at * (len(data) - 60))
    cuts += [run_start + offset for offset in (1, 2, 4, 7, 8, 11, 12, 15, 18, 19, 21)]

    streamed, rate_hz = feed_cut_at(data, cuts)

    assert rate_hz == reference.sample_rate_hz
    assert len(streamed) == len(reference.samples)
    np.testing.assert_allclose(streamed, reference.samples, atol=1e-6)


@pytest.mark.parametrize(
    "name", ["webm_opus", "m4a_aac", "m4a_aac_faststart", "m4a_aac_fragmented"]
)
def test_other_containers_stream_to_the_same_result(name: str) -> None:
    data = clip(name)
    streamed, _ = feed_in_pieces(data, [1500, 7, 4096])
    np.testing.assert_allclose(streamed, decode_audio(data).samples, atol=1e-6)


@pytest.mark.parametrize("name", STREAMABLE)
def test_samples_come_out_before_the_upload_is_complete(name: str) -> None:
    data = clip(name)
    decoder = StreamingDecoder()
    first_part = data[: int(len(data) * 0.6)]

    early = [decoder.feed(first_part[i : i + 2048]) for i in range(0, len(first_part), 2048)]

    assert sum(len(x) for x in early) > 0.25 * 48000  # well over a quarter of a second
    assert decoder.sample_rate_hz == 48000
    assert decoder.source_format is not None and decoder.codec is not None
    decoder.feed(data[len(first_part) :])
    decoder.close()


def test_a_plain_m4a_decodes_only_at_the_end() -> None:
    # The moov atom (the index) is written last; nothing can be decoded without it.
    data = clip("m4a_aac")
    decoder = StreamingDecoder()

    early = sum(len(decoder.feed(data[i : i + 4096])) for i in range(0, len(data), 4096))
    tail = decoder.close()

    assert early == 0
    np.testing.assert_array_equal(tail, decode_audio(data).samples)
    assert decoder.sample_rate_hz == 48000


def test_bad_input_fails_with_the_same_codes_as_one_shot() -> None:
    cases = {
        b"Hello, this is a text file and not a recording.\n" * 40: "not_audio",
        png_image(): "not_audio",
        clip("mp3")[:20_000]: "corrupt",
        clip("ogg_opus")[:15_000]: "corrupt",
        clip("wav_s16")[:50_000]: "corrupt",
        clip("flac")[:20_000]: "corrupt",
    }
    for data, code in cases.items():
        with pytest.raises(AudioDecodeError) as info:
            feed_in_pieces(data, [3000])
        assert info.value.code == code, data[:16]


def test_limits_apply_while_streaming() -> None:
    data = clip("wav_s16")
    with pytest.raises(AudioDecodeError) as info:
        feed_in_pieces(data, [10_000], max_bytes=len(data) // 2)
    assert info.value.code == "too_large"

    with pytest.raises(AudioDecodeError) as info:
        feed_in_pieces(data, [10_000], max_duration_s=1.0)
    assert info.value.code == "too_long"


def test_closing_without_input_and_feeding_after_close_are_errors() -> None:
    decoder = StreamingDecoder()
    with pytest.raises(AudioDecodeError) as info:
        decoder.close()
    assert info.value.code == "empty_input"
    with pytest.raises(AudioError, match="after close"):
        decoder.feed(b"RIFF")


def test_a_decoder_left_in_a_with_block_stops_its_worker() -> None:
    with StreamingDecoder() as decoder:
        decoder.feed(clip("ogg_opus")[:5000])
    assert not decoder._thread.is_alive()


def test_a_plain_m4a_comes_out_block_by_block_at_the_output_rate() -> None:
    # A server must not hold a long plain m4a whole at close: blocks, each small.
    data = encode_tone("m4a_aac", duration_s=3.0, sample_rate_hz=48000)
    decoder = StreamingDecoder(output_rate_hz=24_000, max_decoded_bytes=64 * 1024)
    for i in range(0, len(data), 4096):
        assert len(decoder.feed(data[i : i + 4096])) == 0
    blocks = list(decoder.close_blocks())

    assert len(blocks) > 10 and max(b.nbytes for b in blocks) < 64 * 1024
    whole = decode_audio(data, output_rate_hz=24_000).samples
    np.testing.assert_allclose(np.concatenate(blocks), whole, atol=1e-6)
    assert decoder.sample_rate_hz == 24_000 and decoder.codec == "aac"


def test_abort_stops_the_worker_without_waiting_and_refuses_more_input() -> None:
    decoder = StreamingDecoder()
    decoder.feed(clip("ogg_opus")[:5000])
    decoder.abort()
    decoder._thread.join(5.0)
    assert not decoder._thread.is_alive()
    with pytest.raises(AudioError, match="after close"):
        decoder.feed(b"OggS")
