"""Sample-rate conversion: one streaming resampler per stream, several methods to compare.

The relay converts client audio (8–96 kHz) to the model's rate chunk by chunk. A
*stateful* method keeps its filter history between chunks, so the chunked output is
the same signal the whole file would give: no clicks at chunk edges, no drift in
length. The *stateless* methods resample every chunk on its own; they are kept only to
show (in the benchmark and the notebooks) what that costs.

The methods live in :mod:`workbench.audio.resamplers`, one module each; :data:`METHODS`
lists them (the default, ``soxr-hq``, first) and each class's ``summary`` says what it
is. This module is the checked front door: :class:`StreamingResampler` for streams,
:func:`resample` for whole signals.
"""

from __future__ import annotations

import numpy as np

from workbench.audio.resamplers import (
    DEFAULT_METHOD,
    MAX_RATE_HZ,
    METHODS,
    MIN_RATE_HZ,
    ResamplerMethod,
    check_rate,
    create,
    is_stateful,
    method_class,
)
from workbench.errors import AudioError

__all__ = [
    "DEFAULT_METHOD",
    "MAX_RATE_HZ",
    "METHODS",
    "MIN_RATE_HZ",
    "ResamplerMethod",
    "StreamingResampler",
    "is_stateful",
    "resample",
]

_FLOAT32 = np.dtype(np.float32)


def _as_mono_float32(x: np.ndarray) -> np.ndarray:
    if type(x) is np.ndarray and x.dtype is _FLOAT32 and x.ndim == 1:
        return x  # the common case, checked in ~100 ns
    x = np.asarray(x)
    if x.ndim != 1:
        raise AudioError(f"resampler input must be 1-D mono samples, got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise AudioError(f"resampler input must be float samples in [-1, 1], got {x.dtype}")
    return x.astype(np.float32)


class StreamingResampler:
    """Resample one mono stream, chunk by chunk.

    Parameters
    ----------
    in_rate_hz : int
        Input sample rate (1,000–768,000 Hz).
    out_rate_hz : int
        Output sample rate (1,000–768,000 Hz). Equal rates pass samples through.
    method : str
        One of :data:`METHODS` (default ``"soxr-hq"``).

    Raises
    ------
    AudioError
        A rate that is not a whole number of Hz in range (code ``bad_sample_rate``), or
        ``poly`` for a ratio that would need an enormous filter.
    ConfigError
        An unknown ``method`` (code ``bad_resampler_method``).

    Notes
    -----
    For stateful methods, ``concat(process(c) for c in chunks) + flush()`` equals the
    one-shot :func:`resample` of the concatenated chunks, whatever the chunk sizes,
    and the total length is within one sample of ``n_in * out_rate_hz / in_rate_hz``.
    Outputs lag inputs by the method's look-ahead: :attr:`delay_ms` says how much
    output is held inside right now, until more input (or ``flush``) arrives.

    Examples
    --------
    >>> resampler = StreamingResampler(48000, 24000)
    >>> out = [resampler.process(chunk) for chunk in np.zeros((50, 960), np.float32)]
    >>> sum(map(len, out)) + len(resampler.flush())
    24000
    """

    def __init__(self, in_rate_hz: int, out_rate_hz: int, method: str = DEFAULT_METHOD) -> None:
        self._impl = create(method, in_rate_hz, out_rate_hz)  # checks rates, then method
        self.in_rate_hz = self._impl.in_rate_hz
        self.out_rate_hz = self._impl.out_rate_hz
        self.method = ResamplerMethod(method)
        self.passthrough = self.in_rate_hz == self.out_rate_hz

    @property
    def stateful(self) -> bool:
        """True if chunked output equals one-shot output (see :func:`is_stateful`)."""
        return method_class(self.method).stateful

    @property
    def delay_samples(self) -> float:
        """Output samples held back right now for the look-ahead (0 after ``flush``).

        The input given so far is worth ``n_in * out_rate_hz / in_rate_hz`` output
        samples; this many of them have not come out yet (python-soxr's ``delay()``).
        """
        return self._impl.delay_samples

    @property
    def delay_ms(self) -> float:
        """:attr:`delay_samples` in ms: the latency the resampler adds at this moment."""
        return self._impl.delay_ms

    def process(self, x: np.ndarray) -> np.ndarray:
        """Resample the next chunk.

        Parameters
        ----------
        x : np.ndarray [shape=(n,), float]
            Mono samples at ``in_rate_hz`` in [-1, 1]; any length, including 0.

        Returns
        -------
        np.ndarray [shape=(m,), dtype=float32]
            Output samples at ``out_rate_hz``; ``m`` varies from call to call.

        Raises
        ------
        AudioError
            ``x`` is not 1-D, or not floating point.
        """
        return self._impl.process(_as_mono_float32(x))

    def flush(self) -> np.ndarray:
        """End of stream: return the samples still held for the filter's look-ahead.

        Returns
        -------
        np.ndarray [shape=(k,), dtype=float32]
            The tail (empty for passthrough and the stateless methods). The resampler
            may be used again afterwards only for a new stream: create a new one.
        """
        return self._impl.flush()


def resample(
    x: np.ndarray,
    in_rate_hz: int,
    out_rate_hz: int,
    method: str = DEFAULT_METHOD,
) -> np.ndarray:
    """Resample a whole signal at once.

    Parameters
    ----------
    x : np.ndarray [shape=(n,), float]
        Mono samples in [-1, 1] at ``in_rate_hz``.
    in_rate_hz, out_rate_hz : int
        Sample rates (1,000–768,000 Hz).
    method : str
        One of :data:`METHODS`. soxr methods call ``soxr.resample`` (the library's own
        one-shot); the others run one stream over the whole input.

    Returns
    -------
    np.ndarray [shape=(m,), dtype=float32]
        ``m`` is within one sample of ``n * out_rate_hz / in_rate_hz``.

    Examples
    --------
    >>> resample(np.zeros(4410, np.float32), 44100, 24000).shape
    (2400,)
    """
    in_hz = check_rate("in_rate_hz", in_rate_hz)
    out_hz = check_rate("out_rate_hz", out_rate_hz)
    cls = method_class(method)
    samples = _as_mono_float32(x)
    if in_hz == out_hz:
        return samples.copy()
    return cls.one_shot(samples, in_hz, out_hz)
