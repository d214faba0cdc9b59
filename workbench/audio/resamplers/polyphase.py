"""``poly``: a streaming ``scipy.signal.resample_poly`` (polyphase FIR, kaiser 5.0 window).

It keeps the input history and the output phase across calls, so feeding a signal in
chunks of any size gives the same samples as feeding it whole. Time is tracked with
exact integers (sample indices), never with accumulated floats, so long streams do not
drift. Hand-written because scipy has no streaming ``resample_poly`` (``upfirdn`` is
one-shot); it reuses scipy's filter design and ``upfirdn`` kernel.
"""

from __future__ import annotations

import math
from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.base import Resampler
from workbench.errors import AudioError

# Above this, the polyphase filter (10 zero crossings per phase) gets too long to be useful.
MAX_POLY_FACTOR = 2000


class Polyphase(Resampler):
    """Streaming version of ``scipy.signal.resample_poly`` (kaiser 5.0 window, zero padding).

    The one-shot output (``process(x)`` then ``flush()``) equals
    ``scipy.signal.resample_poly(x, up, down)`` for float64 ``x``: the same filter and the
    same centring, so the output is time-aligned with the input (no group delay); the
    price is a look-ahead of half the filter (about 10 input samples per unit of
    ``max(up, down) / up``), held back until more input or ``flush``.

    Raises
    ------
    AudioError
        Code ``bad_sample_rate``: the rates reduce to factors above
        :data:`MAX_POLY_FACTOR` (e.g. 44,100 → 24,001 Hz), which would need an enormous
        filter.
    """

    name: ClassVar[str] = "poly"
    stateful: ClassVar[bool] = True
    summary: ClassVar[str] = "polyphase FIR, = scipy.signal.resample_poly"

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        super().__init__(in_rate_hz, out_rate_hz)
        divisor = math.gcd(in_rate_hz, out_rate_hz)
        self.up = out_rate_hz // divisor
        self.down = in_rate_hz // divisor
        max_rate = max(self.up, self.down)
        if max_rate > MAX_POLY_FACTOR:
            raise AudioError(
                f"poly cannot resample {in_rate_hz} → {out_rate_hz} Hz: the ratio reduces "
                f"to factors of {max_rate} (limit {MAX_POLY_FACTOR}); use soxr-hq",
                code="bad_sample_rate",
            )
        from scipy import signal  # imported here: scipy.signal takes seconds to import

        self._upfirdn = signal.upfirdn
        half_len = 10 * max_rate
        taps = signal.firwin(2 * half_len + 1, 1.0 / max_rate, window=("kaiser", 5.0))
        # Pre-pad as resample_poly does, so that output k sits at the filter centre.
        n_pre_pad = self.down - half_len % self.down
        self._pre_remove = (half_len + n_pre_pad) // self.down
        self._h = np.concatenate([np.zeros(n_pre_pad), taps * self.up])
        self._buffer = np.zeros(0)  # input from global index self._buffer_start on
        self._buffer_start = 0
        self._n_in = 0
        self._next_out = 0

    def process(self, x: np.ndarray) -> np.ndarray:
        """Add ``x`` (float32, shape (n,)); return every output sample now computable."""
        return self._step(x, final=False)

    def flush(self) -> np.ndarray:
        """The last outputs, computed with zeros past the end (as ``resample_poly`` pads)."""
        return self._step(np.zeros(0, dtype=np.float32), final=True)

    @property
    def delay_samples(self) -> float:
        """Output samples the input so far is worth but the filter's look-ahead holds."""
        return self._owed(self._n_in, self._next_out)

    def _step(self, x: np.ndarray, *, final: bool) -> np.ndarray:
        if len(x):
            self._buffer = np.concatenate([self._buffer, x.astype(np.float64)])
            self._n_in += len(x)
        up, down, shift = self.up, self.down, self._pre_remove
        if final:
            stop = -(-self._n_in * up // down)  # ceil: resample_poly's output length
        elif self._n_in:
            # Output k needs input up to index floor((k + shift) * down / up).
            stop = (self._n_in * up - 1) // down - shift + 1
        else:
            stop = 0
        start = self._next_out
        if stop <= start:
            return np.zeros(0, dtype=np.float32)
        window_start = self._buffer_start
        window = self._buffer
        if final:
            # The filter tail reaches past the input: pad with zeros, as resample_poly does.
            pad = len(self._h) // up + down + 1
            window = np.concatenate([window, np.zeros(pad)])
        # The window starts at a multiple of `down`, so output i of upfirdn lands on
        # global output (i + window_start * up / down - shift).
        offset = window_start * up // down - shift
        full: np.ndarray = self._upfirdn(self._h, window, up, down)
        out = full[start - offset : stop - offset]
        self._next_out = stop
        self._trim()
        return out.astype(np.float32)

    def _trim(self) -> None:
        """Drop input no future output needs (keeping the window aligned to `down`)."""
        first_needed = ((self._next_out + self._pre_remove) * self.down - len(self._h) + 1) // (
            self.up
        )
        first_needed = max(0, first_needed)
        new_start = max(self._buffer_start, (first_needed // self.down) * self.down)
        self._buffer = self._buffer[new_start - self._buffer_start :]
        self._buffer_start = new_start
