"""``scipy-fft-per-chunk``: ``scipy.signal.resample`` (FFT) on every chunk: the seed's method."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.per_chunk import PerChunkResampler


class ScipyFftPerChunk(PerChunkResampler):
    """Each chunk through one FFT and back: periodic edges, so every chunk edge clicks."""

    name: ClassVar[str] = "scipy-fft-per-chunk"
    summary: ClassVar[str] = "scipy.signal.resample (FFT) on each chunk (the seed's)"

    def _convert(self, x: np.ndarray, n_out: int) -> np.ndarray:
        from scipy import signal  # slow to import; only this comparison method needs it

        out: np.ndarray = signal.resample(x.astype(np.float64), n_out)
        return out
