"""Stateful polyphase-FIR and linear-interpolation resamplers (private).

Both keep the input history and the output phase across calls, so feeding a signal
in chunks of any size gives the same samples as feeding it whole. Time is tracked
with exact integers (sample indices), never with accumulated floats, so long streams
do not drift.
"""

from __future__ import annotations

import math

import numpy as np

# Above this, the polyphase filter (10 zero crossings per phase) gets too long to be useful.
MAX_POLY_FACTOR = 2000


class PolyphaseStream:
    """Streaming version of ``scipy.signal.resample_poly`` (kaiser 5.0 window, zero padding).

    The one-shot output (``process(x)`` then ``flush()``) equals
    ``scipy.signal.resample_poly(x, up, down)`` for float64 ``x``: the same filter and the
    same centring, so the output is time-aligned with the input (no group delay); the
    price is a look-ahead of half the filter (about 10 input samples per unit of
    ``max(up, down) / up``), held back until more input or ``flush``.
    """

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        from scipy import signal  # imported here: scipy.signal takes seconds to import

        self._upfirdn = signal.upfirdn
        divisor = math.gcd(in_rate_hz, out_rate_hz)
        self.up = out_rate_hz // divisor
        self.down = in_rate_hz // divisor
        max_rate = max(self.up, self.down)
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

    def process(self, x: np.ndarray, *, final: bool = False) -> np.ndarray:
        """Add ``x`` (float, shape (n,)); return every output sample now computable."""
        if len(x):
            self._buffer = np.concatenate([self._buffer, x.astype(np.float64, copy=False)])
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


class LinearStream:
    """Streaming linear interpolation (no anti-aliasing filter: the cheap baseline).

    Output sample k sits at input position ``k * in_rate / out_rate``; the last output
    samples after ``flush`` repeat the final input sample instead of fading to zero.
    Total output length is ``ceil(n_in * out_rate / in_rate)``.
    """

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        divisor = math.gcd(in_rate_hz, out_rate_hz)
        self.step_num = in_rate_hz // divisor  # input samples per `step_den` outputs
        self.step_den = out_rate_hz // divisor
        self._buffer = np.zeros(0)
        self._buffer_start = 0
        self._n_in = 0
        self._next_out = 0

    def process(self, x: np.ndarray, *, final: bool = False) -> np.ndarray:
        """Add ``x`` (float, shape (n,)); return every output sample now computable."""
        if len(x):
            self._buffer = np.concatenate([self._buffer, x.astype(np.float64, copy=False)])
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
