"""scipy-fft-per-chunk: the seed's method, chunk by chunk through scipy.signal.resample."""

from __future__ import annotations

import numpy as np
from scipy import signal

from tests.audio.resamplers.signals import noise, sine
from workbench.audio import StreamingResampler, is_stateful


def test_each_chunk_is_scipy_resample_of_that_chunk() -> None:
    x = noise(3200, seed=8)
    resampler = StreamingResampler(16000, 24000, "scipy-fft-per-chunk")
    for chunk in np.split(x, 10):  # 320 samples → 480 each
        expected = signal.resample(chunk.astype(np.float64), 480)
        np.testing.assert_allclose(resampler.process(chunk), expected, atol=1e-6)


def test_chunk_edges_click() -> None:
    x = sine(440.0, 16000, 1.0)
    resampler = StreamingResampler(16000, 24000, "scipy-fft-per-chunk")
    chunked = np.concatenate([resampler.process(c) for c in np.split(x, 50)])  # 20 ms
    smooth = sine(440.0, 24000, 1.0)

    assert len(chunked) == len(smooth)  # the length still does not drift
    assert np.abs(chunked - smooth)[480:-480].max() > 0.01  # what the ear hears as clicks
    assert not is_stateful("scipy-fft-per-chunk")
