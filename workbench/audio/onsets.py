"""Where speech ends and sound begins, measured on the samples themselves.

Voice-to-voice latency runs from the end of the user's speech in the *input signal* to
the first audible sample of the reply at the *output* (leading silence in the reply
counts). These detectors find both instants from audio alone, without trusting a
server's ``speech_stopped`` or the first byte of a reply.

Method: double-threshold energy endpointing (Rabiner & Sambur, "An algorithm for
determining the endpoints of isolated utterances", Bell Syst. Tech. J. 54(2), 1975):
a stretch counts as sound only if its level reaches the *detect* threshold somewhere,
and its ends are moved out to where the level crosses the lower *extend* threshold, so
soft attacks and decays are kept without triggering on faint noise. The level is the
RMS of a sliding ``window_ms`` window ending at every sample (a cumulative sum of
squares, so it is exact at any rate). A rising sound crosses within a fraction of a
millisecond of its onset; after a sound stops the window stays loud for one window
length, which the end time takes off. Pauses shorter than ``hangover_ms`` do not end an
utterance (syllables pause too; server VAD waits 500 ms by default).

Defaults: detect at -40 dBFS (the fixtures' VAD definition: 10 ms RMS > -40 dBFS),
extend to -60 dBFS (the level the fixture phrases are trimmed at). In noise both rise
above the noise floor (10th percentile of the windowed level) by ``DETECT_MARGIN_DB``
and ``EXTEND_MARGIN_DB``; a sound below the noise cannot be timed better than that.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.errors import AudioError

#: Default level a sound must reach somewhere to count (dBFS RMS over ``window_ms``).
DEFAULT_DETECT_DBFS = -40.0
#: Default level down to which a sound's start and end are extended (dBFS).
DEFAULT_EXTEND_DBFS = -60.0
#: Threshold distances above the noise floor (dB) when the signal is noisy.
DETECT_MARGIN_DB = 10.0
EXTEND_MARGIN_DB = 6.0
#: Default RMS window (ms), as the fixtures' VAD definition.
DEFAULT_WINDOW_MS = 10.0
#: Default pause that ends an utterance (ms).
DEFAULT_HANGOVER_MS = 300.0
#: Default shortest utterance (ms); shorter loud stretches are clicks, not speech.
DEFAULT_MIN_SPEECH_MS = 30.0
#: Percentile of the windowed level taken as the noise floor.
NOISE_PERCENTILE = 10.0

_INT16_SCALE = 32768.0


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The two levels of the endpointer (dBFS RMS): ``detect_dbfs`` >= ``extend_dbfs``."""

    detect_dbfs: float
    extend_dbfs: float

    def __post_init__(self) -> None:
        if not (math.isfinite(self.detect_dbfs) and math.isfinite(self.extend_dbfs)):
            raise AudioError("thresholds must be finite dBFS values")
        if self.extend_dbfs > self.detect_dbfs:
            raise AudioError(
                f"extend_dbfs ({self.extend_dbfs}) must not exceed detect_dbfs ({self.detect_dbfs})"
            )


@dataclass(frozen=True, slots=True)
class SpeechSegment:
    """One sound or utterance: ``start_ms`` (onset) to ``end_ms`` (sound stops), ms."""

    start_ms: float
    end_ms: float

    @property
    def duration_ms(self) -> float:
        """``end_ms - start_ms``."""
        return self.end_ms - self.start_ms


def _mono_float(samples: np.ndarray, sample_rate_hz: int) -> np.ndarray:
    if not (isinstance(sample_rate_hz, int | np.integer) and sample_rate_hz > 0):
        raise AudioError(f"sample_rate_hz must be a positive integer, got {sample_rate_hz!r}")
    x = np.asarray(samples)
    if x.ndim not in (1, 2):
        raise AudioError(f"samples must have shape (n,) or (n, channels), got {x.shape}")
    if x.dtype == np.int16:
        y = x.astype(np.float64) / _INT16_SCALE
    elif np.issubdtype(x.dtype, np.floating):
        y = x.astype(np.float64, copy=False)
    else:
        raise AudioError(f"samples must be float or int16, got {x.dtype}")
    if y.ndim == 2:
        y = y.mean(axis=1)
    if not np.all(np.isfinite(y)):
        raise AudioError("samples contain NaN or infinity")
    return y


def _window_samples(window_ms: float, sample_rate_hz: int) -> int:
    if not (math.isfinite(window_ms) and window_ms > 0):
        raise AudioError(f"window_ms must be a positive number, got {window_ms!r}")
    return max(1, round(window_ms * sample_rate_hz / 1000.0))


def trailing_power(samples: np.ndarray, sample_rate_hz: int, window_ms: float) -> np.ndarray:
    """Mean square of the ``window_ms`` window ending at each sample.

    Parameters
    ----------
    samples : np.ndarray [shape=(n,) or (n, channels)]
        float in [-1, 1] or int16; channels are averaged.
    sample_rate_hz : int
    window_ms : float
        Window length (ms, > 0); before the first full window, missing samples count
        as silence.

    Returns
    -------
    np.ndarray [shape=(n,)]
        Power (a full-scale square wave is 1.0), float64, >= 0.
    """
    x = _mono_float(samples, sample_rate_hz)
    w = _window_samples(window_ms, sample_rate_hz)
    cumulative = np.concatenate(([0.0], np.cumsum(x * x)))
    ends = np.arange(1, len(x) + 1)
    starts = np.maximum(ends - w, 0)
    power = (cumulative[ends] - cumulative[starts]) / w
    return np.maximum(power, 0.0)  # cumulative-sum rounding can dip a hair below 0


def noise_floor_dbfs(
    samples: np.ndarray, sample_rate_hz: int, *, window_ms: float = DEFAULT_WINDOW_MS
) -> float:
    """The level of the quietest stretches: the 10th percentile of the windowed level.

    Returns
    -------
    float
        dBFS; ``-inf`` for digital silence or an empty signal.
    """
    power = trailing_power(samples, sample_rate_hz, window_ms)
    if power.size == 0:
        return -math.inf
    floor = float(np.percentile(power, NOISE_PERCENTILE))
    return -math.inf if floor <= 0 else 10.0 * math.log10(floor)


def thresholds_for(
    samples: np.ndarray,
    sample_rate_hz: int,
    *,
    detect_dbfs: float = DEFAULT_DETECT_DBFS,
    extend_dbfs: float = DEFAULT_EXTEND_DBFS,
    window_ms: float = DEFAULT_WINDOW_MS,
) -> Thresholds:
    """Thresholds for this signal: the defaults, raised above its noise floor.

    Returns
    -------
    Thresholds
        ``max(detect_dbfs, floor + 10 dB)`` and ``max(extend_dbfs, floor + 6 dB)``.
    """
    floor = noise_floor_dbfs(samples, sample_rate_hz, window_ms=window_ms)
    return Thresholds(
        max(detect_dbfs, floor + DETECT_MARGIN_DB), max(extend_dbfs, floor + EXTEND_MARGIN_DB)
    )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """``(first, last)`` sample indices of each run of True."""
    if not mask.any():
        return []
    edges = np.diff(mask.astype(np.int8), prepend=0, append=0)
    starts = np.flatnonzero(edges == 1)
    stops = np.flatnonzero(edges == -1) - 1
    return list(zip(starts.tolist(), stops.tolist(), strict=True))


def sound_segments(
    samples: np.ndarray,
    sample_rate_hz: int,
    *,
    thresholds: Thresholds | None = None,
    window_ms: float = DEFAULT_WINDOW_MS,
) -> list[SpeechSegment]:
    """Every sound (no joining, no minimum length), in time order.

    Parameters
    ----------
    samples : np.ndarray [shape=(n,) or (n, channels)]
        float in [-1, 1] or int16.
    sample_rate_hz : int
    thresholds : Thresholds, optional
        Default :func:`thresholds_for` the signal.
    window_ms : float
        RMS window (ms).

    Returns
    -------
    list of SpeechSegment
        ms from the first sample.
    """
    x = _mono_float(samples, sample_rate_hz)
    if thresholds is None:
        thresholds = thresholds_for(x, sample_rate_hz, window_ms=window_ms)
    power = trailing_power(x, sample_rate_hz, window_ms)
    detect = power >= 10.0 ** (thresholds.detect_dbfs / 10.0)
    extend = power >= 10.0 ** (thresholds.extend_dbfs / 10.0)
    w = _window_samples(window_ms, sample_rate_hz)
    to_ms = 1000.0 / sample_rate_hz
    segments = []
    for first, last in _runs(extend):
        if detect[first : last + 1].any():
            start_ms = first * to_ms
            segments.append(SpeechSegment(start_ms, max(start_ms, (last + 1 - w) * to_ms)))
    return segments


def speech_segments(
    samples: np.ndarray,
    sample_rate_hz: int,
    *,
    thresholds: Thresholds | None = None,
    window_ms: float = DEFAULT_WINDOW_MS,
    hangover_ms: float = DEFAULT_HANGOVER_MS,
    min_speech_ms: float = DEFAULT_MIN_SPEECH_MS,
) -> list[SpeechSegment]:
    """Utterances: sounds joined across pauses shorter than ``hangover_ms``.

    Parameters
    ----------
    samples, sample_rate_hz, thresholds, window_ms
        As :func:`sound_segments`.
    hangover_ms : float
        Pauses shorter than this (ms) join the sounds around them.
    min_speech_ms : float
        Utterances shorter than this (ms, after joining) are dropped as clicks.

    Returns
    -------
    list of SpeechSegment
    """
    if not (hangover_ms >= 0 and min_speech_ms >= 0):
        raise AudioError("hangover_ms and min_speech_ms must be >= 0")
    joined: list[SpeechSegment] = []
    for segment in sound_segments(
        samples, sample_rate_hz, thresholds=thresholds, window_ms=window_ms
    ):
        if joined and segment.start_ms - joined[-1].end_ms < hangover_ms:
            joined[-1] = SpeechSegment(joined[-1].start_ms, segment.end_ms)
        else:
            joined.append(segment)
    return [s for s in joined if s.duration_ms >= min_speech_ms]


def end_of_speech_ms(
    samples: np.ndarray,
    sample_rate_hz: int,
    *,
    thresholds: Thresholds | None = None,
    window_ms: float = DEFAULT_WINDOW_MS,
    hangover_ms: float = DEFAULT_HANGOVER_MS,
    min_speech_ms: float = DEFAULT_MIN_SPEECH_MS,
) -> float | None:
    """When the user's last utterance ended, found in the input signal (ms).

    Only an utterance followed by at least ``hangover_ms`` of quiet has ended: a signal
    that stops mid-utterance or within the hangover gives ``None`` (the speaker may go
    on). Parameters as :func:`speech_segments`.

    Returns
    -------
    float or None
        ms from the first sample, or ``None`` without a finished utterance.

    Examples
    --------
    >>> x = np.zeros(24000); x[2400:12000] = 0.1 * np.sin(np.arange(9600) / 3)
    >>> round(end_of_speech_ms(x, 24000), 1)
    500.0
    """
    x = _mono_float(samples, sample_rate_hz)
    segments = speech_segments(
        x,
        sample_rate_hz,
        thresholds=thresholds,
        window_ms=window_ms,
        hangover_ms=hangover_ms,
        min_speech_ms=min_speech_ms,
    )
    if not segments:
        return None
    duration_ms = len(x) * 1000.0 / sample_rate_hz
    last = segments[-1]
    return last.end_ms if duration_ms - last.end_ms >= hangover_ms else None


def first_audible_ms(
    samples: np.ndarray,
    sample_rate_hz: int,
    *,
    thresholds: Thresholds | None = None,
    window_ms: float = DEFAULT_WINDOW_MS,
) -> float | None:
    """The first audible instant of a signal (a reply at the output), ms.

    Leading silence counts: a reply that starts with 200 ms of zeros is first audible
    at 200 ms, not at its first sample. Any sound that reaches the detect threshold
    counts, however short (a click is heard too).

    Parameters
    ----------
    samples, sample_rate_hz, thresholds, window_ms
        As :func:`sound_segments`.

    Returns
    -------
    float or None
        ms from the first sample; ``None`` if nothing is audible.

    Examples
    --------
    >>> x = np.zeros(24000); x[4800:] = 0.1
    >>> first_audible_ms(x, 24000)
    200.0
    """
    segments = sound_segments(samples, sample_rate_hz, thresholds=thresholds, window_ms=window_ms)
    return segments[0].start_ms if segments else None
