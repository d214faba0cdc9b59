"""linear: straight lines between neighbouring samples, one input sample of look-ahead."""

from __future__ import annotations

import numpy as np

from tests.audio.resamplers.signals import noise, power_db, sine
from workbench.audio import StreamingResampler, resample


def test_linear_interpolates_between_neighbouring_samples() -> None:
    x = noise(1000, seed=4)
    out = resample(x, 16000, 24000, "linear")

    positions = np.arange(len(out)) * 16000 / 24000
    np.testing.assert_allclose(out, np.interp(positions, np.arange(len(x)), x), atol=1e-6)


def test_it_does_not_filter_so_high_tones_alias() -> None:
    x = sine(15000.0, 48000, 1.0)
    assert power_db(resample(x, 48000, 24000, "linear")[1200:-1200], x) > -20  # audible


def test_it_waits_for_at_most_one_input_sample() -> None:
    resampler = StreamingResampler(8000, 24000, "linear")
    resampler.process(noise(800))
    assert 0 < resampler.delay_samples <= 24000 / 8000
