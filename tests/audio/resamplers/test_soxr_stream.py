"""soxr-hq / -vhq / -qq: clean tones, strong anti-aliasing (hq), and libsoxr's own delay."""

from __future__ import annotations

import numpy as np
import pytest
import soxr

from tests.audio.resamplers.signals import noise, power_db, sine
from workbench.audio import StreamingResampler, resample


@pytest.mark.parametrize("method", ["soxr-hq", "soxr-vhq"])
def test_a_tone_comes_out_as_the_same_tone(method: str) -> None:
    out = resample(sine(1000.0, 48000, 1.0), 48000, 24000, method)
    expected = sine(1000.0, 24000, 1.0)
    middle = slice(1200, -1200)  # away from the ends

    assert np.abs(out[middle] - expected[middle]).max() < 1e-3


@pytest.mark.parametrize(("method", "min_rejection_db"), [("soxr-hq", 90), ("soxr-vhq", 90)])
def test_tones_above_the_new_nyquist_are_removed(method: str, min_rejection_db: float) -> None:
    # 15 kHz cannot exist at 24 kHz; an unfiltered resampler folds it to 9 kHz.
    x = sine(15000.0, 48000, 1.0)
    out = resample(x, 48000, 24000, method)[1200:-1200]
    assert power_db(out, x) < -min_rejection_db


def test_qq_is_cubic_interpolation_without_a_filter() -> None:
    x = sine(15000.0, 48000, 1.0)
    assert power_db(resample(x, 48000, 24000, "soxr-qq")[1200:-1200], x) > -20  # an alias


@pytest.mark.parametrize(("method", "quality"), [("soxr-hq", "HQ"), ("soxr-vhq", "VHQ")])
def test_chunks_give_what_python_soxr_gives(method: str, quality: str) -> None:
    # Same samples and the same pending output as the library's own streaming loop.
    x = noise(16000, seed=7)
    ours = StreamingResampler(16000, 24000, method)
    theirs = soxr.ResampleStream(16000, 24000, 1, dtype="float32", quality=quality)
    for chunk in np.split(x, [100, 101, 5000, 5320, 12000]):
        np.testing.assert_array_equal(ours.process(chunk), theirs.resample_chunk(chunk))
        assert ours.delay_samples == theirs.delay()
    np.testing.assert_array_equal(
        ours.flush(), theirs.resample_chunk(np.zeros(0, np.float32), last=True)
    )
