"""librosa-per-chunk: librosa.resample on each chunk, cut to the running length."""

from __future__ import annotations

import librosa
import numpy as np

from tests.audio.resamplers.signals import noise, sine
from workbench.audio import StreamingResampler, is_stateful


def test_each_chunk_is_librosa_resample_of_that_chunk() -> None:
    x = noise(4410, seed=9)
    resampler = StreamingResampler(44100, 24000, "librosa-per-chunk")
    produced = 0
    for i, chunk in enumerate(np.split(x, 5)):  # 882 samples: 480 output, every time
        out = resampler.process(chunk)
        produced += len(out)
        assert produced == round((i + 1) * 882 * 24000 / 44100)
        expected = librosa.resample(chunk, orig_sr=44100, target_sr=24000)
        np.testing.assert_allclose(out, librosa.util.fix_length(expected, size=len(out)))


def test_chunk_edges_click() -> None:
    x = sine(440.0, 16000, 1.0)
    resampler = StreamingResampler(16000, 24000, "librosa-per-chunk")
    chunked = np.concatenate([resampler.process(c) for c in np.split(x, 50)])  # 20 ms
    smooth = sine(440.0, 24000, 1.0)

    assert len(chunked) == len(smooth)
    assert np.abs(chunked - smooth)[480:-480].max() > 0.01
    assert not is_stateful("librosa-per-chunk")
