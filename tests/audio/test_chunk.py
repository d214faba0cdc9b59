"""Chunker: exact N-ms frames out of blocks of any size; nothing lost, nothing added."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.audio import Chunker
from workbench.errors import AudioError


@settings(max_examples=80, deadline=None)
@given(
    chunk_ms=st.sampled_from([5.0, 10.0, 20.0, 40.0, 100.0]),
    sizes=st.lists(st.integers(min_value=0, max_value=3000), max_size=40),
    dtype=st.sampled_from([np.float32, np.int16]),
)
def test_frames_plus_tail_are_the_input_and_every_frame_is_exact(
    chunk_ms: float, sizes: list[int], dtype: type
) -> None:
    chunker = Chunker(chunk_ms, 24000)
    blocks = [np.arange(n).astype(dtype) for n in sizes]
    frames = [frame for block in blocks for frame in chunker.push(block)]
    tail = chunker.flush()

    expected_frame = round(chunk_ms * 24)
    assert all(len(frame) == expected_frame for frame in frames)
    assert all(frame.dtype == dtype for frame in frames)
    pieces = [*frames, *([] if tail is None else [tail])]
    joined = np.concatenate(pieces) if pieces else np.zeros(0, dtype)
    expected = np.concatenate(blocks) if blocks else np.zeros(0, dtype)
    np.testing.assert_array_equal(joined, expected)
    assert tail is None or 0 < len(tail) < expected_frame


def test_a_20_ms_frame_at_24_khz_is_480_samples() -> None:
    chunker = Chunker(20)
    assert chunker.frame_samples == 480
    frames = chunker.push(np.zeros(1000, np.float32))
    assert [len(f) for f in frames] == [480, 480]
    assert chunker.buffered_samples == 40


def test_the_tail_can_be_zero_padded_to_a_full_frame() -> None:
    chunker = Chunker(10, 16000)
    chunker.push(np.ones(250, np.int16))
    tail = chunker.flush(pad=True)

    assert tail is not None and len(tail) == 160 and tail.dtype == np.int16
    assert tail[:90].tolist() == [1] * 90 and not tail[90:].any()
    assert chunker.flush() is None  # nothing left; the chunker is reusable


def test_frames_do_not_alias_the_callers_buffer() -> None:
    chunker = Chunker(10, 8000)
    block = np.zeros(80, np.float32)
    (frame,) = chunker.push(block)
    block[:] = 1.0
    assert not frame.any()


def test_multichannel_blocks_are_cut_along_time() -> None:
    chunker = Chunker(10, 8000)
    frames = chunker.push(np.zeros((200, 2), np.int16))
    assert [f.shape for f in frames] == [(80, 2), (80, 2)]
    tail = chunker.flush()
    assert tail is not None and tail.shape == (40, 2)


def test_mixing_dtypes_in_one_stream_is_refused() -> None:
    chunker = Chunker(20)
    chunker.push(np.zeros(10, np.float32))
    with pytest.raises(AudioError, match="int16"):
        chunker.push(np.zeros(10, np.int16))


@pytest.mark.parametrize(
    ("chunk_ms", "rate_hz", "match"),
    [
        (10.0, 22050, "220.5 samples"),
        (0.0, 24000, "positive"),
        (-20.0, 24000, "positive"),
        (20.0, 0, "positive"),
    ],
)
def test_durations_that_are_not_whole_samples_are_refused(
    chunk_ms: float, rate_hz: int, match: str
) -> None:
    with pytest.raises(AudioError, match=match):
        Chunker(chunk_ms, rate_hz)
