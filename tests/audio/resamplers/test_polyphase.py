"""poly: exactly scipy's resample_poly, streamed; and it refuses ratios it cannot filter."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import signal

from tests.audio.resamplers.signals import noise, power_db, sine
from workbench.audio import StreamingResampler, resample
from workbench.audio.resamplers.polyphase import MAX_POLY_FACTOR
from workbench.errors import AudioError

RATE_PAIRS = [
    *[(rate, 24000) for rate in (8000, 16000, 22050, 44100, 48000)],
    *[(24000, rate) for rate in (8000, 16000, 48000)],
]


@pytest.mark.parametrize(("in_hz", "out_hz"), RATE_PAIRS)
def test_poly_is_scipy_resample_poly(in_hz: int, out_hz: int) -> None:
    x = noise(in_hz // 2, seed=3)
    expected = signal.resample_poly(x.astype(np.float64), out_hz, in_hz)
    np.testing.assert_allclose(resample(x, in_hz, out_hz, "poly"), expected, atol=1e-6)


def test_a_tone_comes_out_as_the_same_tone() -> None:
    out = resample(sine(1000.0, 48000, 1.0), 48000, 24000, "poly")
    expected = sine(1000.0, 24000, 1.0)
    assert np.abs(out[1200:-1200] - expected[1200:-1200]).max() < 1e-3


def test_tones_above_the_new_nyquist_are_removed() -> None:
    x = sine(15000.0, 48000, 1.0)
    assert power_db(resample(x, 48000, 24000, "poly")[1200:-1200], x) < -40


def test_the_look_ahead_is_half_the_filter() -> None:
    # 10 zero crossings each side at the lower rate: ~10 output samples at 48 → 24 kHz.
    resampler = StreamingResampler(48000, 24000, "poly")
    resampler.process(noise(4800))
    assert 9 <= resampler.delay_samples <= 12


def test_a_ratio_needing_an_enormous_filter_is_refused() -> None:
    with pytest.raises(AudioError, match=rf"\(limit {MAX_POLY_FACTOR}\); use soxr-hq") as info:
        StreamingResampler(44100, 24001, "poly")
    assert info.value.code == "bad_sample_rate"
