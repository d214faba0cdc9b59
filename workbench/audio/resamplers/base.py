"""The contract every resampling method implements, and the checks shared by all.

A method is a :class:`Resampler` subclass: it converts one mono float32 stream from
``in_rate_hz`` to ``out_rate_hz`` chunk by chunk, says how much output it is holding
back (its look-ahead, ``delay_samples``), and ends the stream with ``flush``. The
front door (:class:`workbench.audio.StreamingResampler`) validates rates and arrays
before a method sees them, so methods only deal with DSP.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

import numpy as np

from workbench.errors import AudioError

MIN_RATE_HZ = 1000
MAX_RATE_HZ = 768_000


def check_rate(name: str, rate_hz: object) -> int:
    """Return ``rate_hz`` as an int if it is a whole number of Hz in range.

    Parameters
    ----------
    name : str
        The parameter's name, for the message (``"in_rate_hz"``).
    rate_hz : object
        The value to check; ``bool`` and floats are refused.

    Returns
    -------
    int
        ``rate_hz`` (Hz), within :data:`MIN_RATE_HZ` .. :data:`MAX_RATE_HZ`.

    Raises
    ------
    AudioError
        Code ``bad_sample_rate``, naming the parameter and the value.
    """
    if isinstance(rate_hz, bool) or not isinstance(rate_hz, int | np.integer):
        raise AudioError(
            f"{name} must be a whole number of Hz, got {rate_hz!r}", code="bad_sample_rate"
        )
    if not MIN_RATE_HZ <= rate_hz <= MAX_RATE_HZ:
        raise AudioError(
            f"{name}={rate_hz} is outside {MIN_RATE_HZ}..{MAX_RATE_HZ} Hz",
            code="bad_sample_rate",
        )
    return int(rate_hz)


class Resampler(ABC):
    """One stream's converter from ``in_rate_hz`` to ``out_rate_hz`` (one method).

    Subclasses set the class attributes and implement :meth:`process`, :meth:`flush`
    and :attr:`delay_samples`. They may assume what the front door guarantees: rates
    already checked and different, inputs 1-D float32 arrays.

    Parameters
    ----------
    in_rate_hz, out_rate_hz : int
        Input and output sample rates (Hz).

    Attributes
    ----------
    name : ClassVar[str]
        The method's name in :data:`workbench.audio.METHODS` (``"soxr-hq"``).
    stateful : ClassVar[bool]
        True if the method keeps its state across chunks, so that the chunked output
        equals the one-shot output whatever the chunk sizes. False for the per-chunk
        methods kept only for comparison.
    summary : ClassVar[str]
        One line for tables and the UI: what the method is.
    """

    name: ClassVar[str]
    stateful: ClassVar[bool]
    summary: ClassVar[str]

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        self.in_rate_hz = in_rate_hz
        self.out_rate_hz = out_rate_hz

    @abstractmethod
    def process(self, x: np.ndarray) -> np.ndarray:
        """Convert the next chunk.

        Parameters
        ----------
        x : np.ndarray [shape=(n,), dtype=float32]
            Samples at ``in_rate_hz``; any length, including 0.

        Returns
        -------
        np.ndarray [shape=(m,), dtype=float32]
            Every output sample the method can compute so far, at ``out_rate_hz``.
        """

    @abstractmethod
    def flush(self) -> np.ndarray:
        """End of stream: return the samples held back for the look-ahead.

        Returns
        -------
        np.ndarray [shape=(k,), dtype=float32]
            The tail; afterwards ``delay_samples`` is 0 and the object is spent.
        """

    @property
    @abstractmethod
    def delay_samples(self) -> float:
        """Output held back right now (output samples), like ``soxr``'s ``delay()``.

        The input given so far is worth ``n_in * out_rate_hz / in_rate_hz`` output
        samples; this is how many of those have not come out yet. The methods here are
        time-aligned (no group delay), so an input sample comes out ``delay_ms`` after
        it went in: this *is* the resampler's latency at this moment. 0 after ``flush``.
        """

    @property
    def delay_ms(self) -> float:
        """:attr:`delay_samples` as time (ms at ``out_rate_hz``)."""
        return self.delay_samples * 1000.0 / self.out_rate_hz

    @classmethod
    def one_shot(cls, x: np.ndarray, in_rate_hz: int, out_rate_hz: int) -> np.ndarray:
        """Convert a whole signal (``process`` then ``flush``; a library's own one-shot
        may override this).

        Parameters
        ----------
        x : np.ndarray [shape=(n,), dtype=float32]
            The whole signal at ``in_rate_hz``.
        in_rate_hz, out_rate_hz : int
            Checked, different sample rates (Hz).

        Returns
        -------
        np.ndarray [shape=(m,), dtype=float32]
            For a stateful method, the same samples as any chunked run.
        """
        resampler = cls(in_rate_hz, out_rate_hz)
        return np.concatenate([resampler.process(x), resampler.flush()])

    def _owed(self, n_in: int, n_out: int) -> float:
        """Output samples ``n_in`` inputs are worth minus the ``n_out`` given (≥ 0)."""
        return max(0.0, n_in * self.out_rate_hz / self.in_rate_hz - n_out)
