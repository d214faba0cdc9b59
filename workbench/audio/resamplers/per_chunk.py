"""The shared base of the stateless methods: each chunk is converted on its own.

Kept only to show (in the benchmark and the notebooks) what the seed's per-chunk
resampling costs: every chunk edge is a discontinuity. The output *length* does not
drift, because each chunk's length comes from running totals.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.base import Resampler


class PerChunkResampler(Resampler):
    """A stateless method: subclasses implement :meth:`_convert` for one chunk."""

    stateful: ClassVar[bool] = False

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        super().__init__(in_rate_hz, out_rate_hz)
        self._n_in = 0
        self._n_out = 0

    def process(self, x: np.ndarray) -> np.ndarray:
        """Convert ``x`` (float32, shape (n,)) without regard to its neighbours."""
        self._n_in += len(x)
        target_total = round(self._n_in * self.out_rate_hz / self.in_rate_hz)
        n_out = target_total - self._n_out
        self._n_out = target_total
        if n_out <= 0 or not len(x):
            return np.zeros(max(n_out, 0), dtype=np.float32)
        return np.asarray(self._convert(x, n_out), dtype=np.float32)

    def flush(self) -> np.ndarray:
        """Nothing is held back: an empty float32 array."""
        return np.zeros(0, dtype=np.float32)

    @property
    def delay_samples(self) -> float:
        """Under half an output sample: each chunk comes out whole, at once."""
        return self._owed(self._n_in, self._n_out)

    @abstractmethod
    def _convert(self, x: np.ndarray, n_out: int) -> np.ndarray:
        """Resample one chunk ``x`` (float32, shape (n,), n ≥ 1) to exactly ``n_out`` ≥ 1
        samples."""
