"""Sample-rate conversion: one streaming resampler per stream, several methods to compare.

The relay converts client audio (8–96 kHz) to the model's 24 kHz chunk by chunk. A
*stateful* method keeps its filter history between chunks, so the chunked output is
the same signal the whole file would give: no clicks at chunk edges, no drift in
length. Two *stateless* methods resample every chunk on its own; they are kept only
to show (in the benchmark and the notebooks) what that costs.

=======================  =========  ================================================
method                   stateful   what it is
=======================  =========  ================================================
``soxr-hq``  (default)   yes        libsoxr high quality (``soxr.ResampleStream``)
``soxr-vhq``             yes        libsoxr very high quality
``soxr-qq``              yes        libsoxr "quick": cubic interpolation, no filter
``poly``                 yes        polyphase FIR, = ``scipy.signal.resample_poly``
``linear``               yes        linear interpolation (no anti-aliasing)
``scipy-fft-per-chunk``  no         ``scipy.signal.resample`` (FFT) on each chunk
``librosa-per-chunk``    no         ``librosa.resample`` on each chunk
=======================  =========  ================================================
"""

from __future__ import annotations

import math
from typing import Any, Literal, get_args

import numpy as np
import soxr

from workbench.audio._stateful import MAX_POLY_FACTOR, LinearStream, PolyphaseStream
from workbench.errors import AudioError, ConfigError

ResamplerMethod = Literal[
    "soxr-hq",
    "soxr-vhq",
    "soxr-qq",
    "poly",
    "linear",
    "scipy-fft-per-chunk",
    "librosa-per-chunk",
]
METHODS: tuple[ResamplerMethod, ...] = get_args(ResamplerMethod)
DEFAULT_METHOD: ResamplerMethod = "soxr-hq"
STATELESS_METHODS: frozenset[str] = frozenset({"scipy-fft-per-chunk", "librosa-per-chunk"})
MIN_RATE_HZ = 1000
MAX_RATE_HZ = 768_000

_FLOAT32 = np.dtype(np.float32)
_SOXR_QUALITY = {"soxr-hq": "HQ", "soxr-vhq": "VHQ", "soxr-qq": "QQ"}


def is_stateful(method: str) -> bool:
    """True if ``method`` keeps state across chunks (chunked output == one-shot output).

    Raises
    ------
    ConfigError
        ``method`` is not one of :data:`METHODS`.
    """
    return _check_method(method) not in STATELESS_METHODS


def _check_method(method: str) -> ResamplerMethod:
    for known in METHODS:
        if method == known:
            return known
    raise ConfigError(
        f"unknown resampler method {method!r}; choose one of {', '.join(METHODS)}",
        code="bad_resampler_method",
    )


def _check_rate(name: str, rate_hz: object) -> int:
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


def _as_mono_float(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 1:
        raise AudioError(f"resampler input must be 1-D mono samples, got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        raise AudioError(f"resampler input must be float samples in [-1, 1], got {x.dtype}")
    return x.astype(np.float32, copy=False)


class StreamingResampler:
    """Resample one mono stream, chunk by chunk.

    Parameters
    ----------
    in_rate_hz : int
        Input sample rate (1,000–768,000 Hz).
    out_rate_hz : int
        Output sample rate (1,000–768,000 Hz). Equal rates pass samples through.
    method : ResamplerMethod
        One of :data:`METHODS` (default ``"soxr-hq"``); see the module docstring.

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
    Outputs lag inputs by the filter's look-ahead: a few samples stay inside until
    more input (or ``flush``) arrives.

    Examples
    --------
    >>> resampler = StreamingResampler(48000, 24000)
    >>> out = [resampler.process(chunk) for chunk in np.zeros((50, 960), np.float32)]
    >>> sum(map(len, out)) + len(resampler.flush())
    24000
    """

    def __init__(
        self, in_rate_hz: int, out_rate_hz: int, method: ResamplerMethod = DEFAULT_METHOD
    ) -> None:
        self.in_rate_hz = _check_rate("in_rate_hz", in_rate_hz)
        self.out_rate_hz = _check_rate("out_rate_hz", out_rate_hz)
        self.method: ResamplerMethod = _check_method(method)
        self.passthrough = self.in_rate_hz == self.out_rate_hz
        self._soxr: soxr.ResampleStream | None = None
        self._soxr_process: Any = None
        self._stream: PolyphaseStream | LinearStream | None = None
        self._n_in = 0  # stateless methods: totals keep their lengths from drifting
        self._n_out = 0
        if self.passthrough:
            return
        if self.method in _SOXR_QUALITY:
            self._soxr = soxr.ResampleStream(
                self.in_rate_hz,
                self.out_rate_hz,
                1,
                dtype="float32",
                quality=_SOXR_QUALITY[self.method],
            )
            # resample_chunk() spends a quarter of a 20 ms chunk's time (~3 µs of ~12 µs
            # here) re-checking and reshaping its input; the bound C function it wraps
            # is called directly when the input is already float32 1-D. Guarded: any
            # python-soxr without it takes the public path.
            candidate = getattr(self._soxr, "_process", None)
            self._soxr_process = candidate if callable(candidate) else None
        elif self.method == "poly":
            divisor = math.gcd(self.in_rate_hz, self.out_rate_hz)
            factor = max(self.in_rate_hz, self.out_rate_hz) // divisor
            if factor > MAX_POLY_FACTOR:
                raise AudioError(
                    f"poly cannot resample {self.in_rate_hz} → {self.out_rate_hz} Hz: the "
                    f"ratio reduces to factors of {factor} (limit {MAX_POLY_FACTOR}); use soxr-hq",
                    code="bad_sample_rate",
                )
            self._stream = PolyphaseStream(self.in_rate_hz, self.out_rate_hz)
        elif self.method == "linear":
            self._stream = LinearStream(self.in_rate_hz, self.out_rate_hz)

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
        """
        fast = self._soxr_process is not None and type(x) is np.ndarray
        if fast and x.dtype is _FLOAT32 and x.ndim == 1:
            out: np.ndarray = self._soxr_process(x[:, None], False).ravel()
            return out
        x = _as_mono_float(x)
        if self.passthrough:
            return x.copy()
        if self._soxr is not None:
            return np.asarray(self._soxr.resample_chunk(x), dtype=np.float32)
        if self._stream is not None:
            return self._stream.process(x)
        return self._per_chunk(x)

    def flush(self) -> np.ndarray:
        """End of stream: return the samples still held for the filter's look-ahead.

        Returns
        -------
        np.ndarray [shape=(k,), dtype=float32]
            The tail (empty for passthrough and the stateless methods). The resampler
            may be used again afterwards only for a new stream: create a new one.
        """
        empty = np.zeros(0, dtype=np.float32)
        if self._soxr is not None:
            return np.asarray(self._soxr.resample_chunk(empty, last=True), dtype=np.float32)
        if self._stream is not None:
            return self._stream.process(empty, final=True)
        return empty

    def _per_chunk(self, x: np.ndarray) -> np.ndarray:
        # Output length from running totals, so the stream length does not drift even
        # though each chunk is converted without any knowledge of its neighbours.
        self._n_in += len(x)
        target_total = round(self._n_in * self.out_rate_hz / self.in_rate_hz)
        n_out = target_total - self._n_out
        self._n_out = target_total
        if n_out <= 0 or not len(x):
            return np.zeros(max(n_out, 0), dtype=np.float32)
        if self.method == "scipy-fft-per-chunk":
            from scipy import signal  # slow to import; only the comparison methods need it

            out = signal.resample(x.astype(np.float64), n_out)
        else:
            import librosa  # slow to import; only this comparison method needs it

            y = librosa.resample(x, orig_sr=self.in_rate_hz, target_sr=self.out_rate_hz)
            out = librosa.util.fix_length(y, size=n_out)
        return np.asarray(out, dtype=np.float32)


def resample(
    x: np.ndarray,
    in_rate_hz: int,
    out_rate_hz: int,
    method: ResamplerMethod = DEFAULT_METHOD,
) -> np.ndarray:
    """Resample a whole signal at once.

    Parameters
    ----------
    x : np.ndarray [shape=(n,), float]
        Mono samples in [-1, 1] at ``in_rate_hz``.
    in_rate_hz, out_rate_hz : int
        Sample rates (1,000–768,000 Hz).
    method : ResamplerMethod
        See the module docstring. soxr methods call ``soxr.resample`` (the library's own
        one-shot); the others run a :class:`StreamingResampler` over the whole input.

    Returns
    -------
    np.ndarray [shape=(m,), dtype=float32]
        ``m`` is within one sample of ``n * out_rate_hz / in_rate_hz``.

    Examples
    --------
    >>> resample(np.zeros(4410, np.float32), 44100, 24000).shape
    (2400,)
    """
    resampler = StreamingResampler(in_rate_hz, out_rate_hz, method)
    x = _as_mono_float(x)
    if method in _SOXR_QUALITY and not resampler.passthrough:
        out = soxr.resample(x, in_rate_hz, out_rate_hz, quality=_SOXR_QUALITY[method])
        return np.asarray(out, dtype=np.float32)
    return np.concatenate([resampler.process(x), resampler.flush()])
