"""``linear``: streaming linear interpolation (no anti-aliasing filter: the cheap baseline).

Hand-written because ``np.interp`` is one-shot: this keeps the last input sample and
the output phase across calls (exact integer positions, no float drift), so chunked
output equals one-shot output.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.base import Resampler


class Linear(Resampler):
    """Output sample k is the straight line between the two inputs around position
    ``k * in_rate / out_rate``.

    The last output samples after ``flush`` repeat the final input sample instead of
    fading to zero. Total output length is ``ceil(n_in * out_rate / in_rate)``; the
    look-ahead is at most one input sample.
    """

    name: ClassVar[str] = "linear"
    stateful: ClassVar[bool] = True
    summary: ClassVar[str] = "linear interpolation (no anti-aliasing)"

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        super().__init__(in_rate_hz, out_rate_hz)
        divisor = math.gcd(in_rate_hz, out_rate_hz)
        self.step_num = in_rate_hz // divisor  # input samples per `step_den` outputs
        self.step_den = out_rate_hz // divisor
        self._buffer = np.zeros(0)
        self._buffer_start = 0
        self._n_in = 0
        self._next_out = 0

    def process(self, x: np.ndarray) -> np.ndarray:
        """Add ``x`` (float32, shape (n,)); return every output sample now computable."""
        return self._step(x, final=False)

    def flush(self) -> np.ndarray:
        """The outputs past the last input pair (holding the final sample)."""
        return self._step(np.zeros(0, dtype=np.float32), final=True)

    @property
    def delay_samples(self) -> float:
        """Output samples waiting for the next input sample to interpolate towards."""
        return self._owed(self._n_in, self._next_out)

    def _step(self, x: np.ndarray, *, final: bool) -> np.ndarray:
        if len(x):
            self._buffer = np.concatenate([self._buffer, x.astype(np.float64)])
            self._n_in += len(x)
        num, den = self.step_num, self.step_den
        if final:
            stop = -(-self._n_in * den // num)
        else:
            # Output k needs input samples i and i + 1, i = floor(k * num / den).
            stop = max(0, ((self._n_in - 1) * den - 1) // num + 1) if self._n_in > 1 else 0
        start = self._next_out
        if stop <= start or not self._n_in:
            return np.zeros(0, dtype=np.float32)
        k = np.arange(start, stop, dtype=np.int64)
        position = k * num
        index = position // den - self._buffer_start
        fraction = (position % den) / den
        buffer = np.concatenate([self._buffer, self._buffer[-1:]])  # hold the last sample
        after = np.minimum(index + 1, len(buffer) - 1)
        out = buffer[index] * (1.0 - fraction) + buffer[after] * fraction
        self._next_out = stop
        first_needed = (stop * num) // den
        keep_from = min(first_needed, self._n_in - 1) - self._buffer_start
        self._buffer = self._buffer[max(0, keep_from) :]
        self._buffer_start += max(0, keep_from)
        return out.astype(np.float32)
