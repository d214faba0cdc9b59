"""Signal levels in dBFS, per block and smoothed for a UI meter.

Conventions: 0 dBFS is a full-scale *square* wave, so a full-scale sine reads
-3.01 dBFS RMS and 0 dBFS peak (no +3 dB "sine" correction). Silence, and anything
below it, reads :data:`SILENCE_FLOOR_DBFS` (-100 dBFS) instead of minus infinity, so
values are always finite, JSON-safe and plottable. A level bar is empty at
:data:`METER_FLOOR_DBFS` (-60 dBFS) and full at 0 dBFS.

The only level code in the workbench: shells show ``pcm16_levels(frame)`` (one frame,
as sent over the wire) or a :class:`LevelMeter` (smoothed, for a bar).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.errors import AudioError

SILENCE_FLOOR_DBFS = -100.0
"""The lowest level reported (digital silence); about 10 dB below PCM16's noise floor."""
METER_FLOOR_DBFS = -60.0
"""The level a bar shows as empty (``level_0_1 == 0``) unless told otherwise."""
LEVEL_DECIMALS = 1
"""Levels sent to clients are rounded to 0.1 dB: finer steps are noise to a reader."""

_INT16_SCALE = 32768.0
_EXACT_FLOAT_SAMPLES = 2**23


def _as_float(block: np.ndarray) -> np.ndarray:
    x = np.asarray(block)
    if x.dtype.kind == "i" and x.dtype.itemsize == 2:  # int16 of either byte order
        return x.astype(np.float64) / _INT16_SCALE
    if not np.issubdtype(x.dtype, np.floating):
        raise AudioError(f"level meters take float or int16 samples, got {x.dtype}")
    return x.astype(np.float64, copy=False)


def rms_to_dbfs(amplitude: float) -> float:
    """An amplitude (RMS or peak, 1.0 = full scale) in dBFS.

    Parameters
    ----------
    amplitude : float
        Linear amplitude ≥ 0; 0, negatives and NaN count as silence.

    Returns
    -------
    float
        ``20 * log10(amplitude)``, at least :data:`SILENCE_FLOOR_DBFS`.

    Examples
    --------
    >>> rms_to_dbfs(0.5), rms_to_dbfs(0.0)
    (-6.020599913279624, -100.0)
    """
    if not amplitude > 0.0:  # also NaN
        return SILENCE_FLOOR_DBFS
    return max(SILENCE_FLOOR_DBFS, 20.0 * math.log10(amplitude))


def level_0_1(rms_dbfs: float, floor_dbfs: float = METER_FLOOR_DBFS) -> float:
    """A level mapped linearly from [``floor_dbfs``, 0] dBFS to [0, 1], for a bar.

    Parameters
    ----------
    rms_dbfs : float
        The level (dBFS).
    floor_dbfs : float
        The level shown as an empty bar (dBFS, < 0). Default :data:`METER_FLOOR_DBFS`.

    Returns
    -------
    float
        0 at or below ``floor_dbfs``, 1 at or above 0 dBFS.

    Raises
    ------
    AudioError
        ``floor_dbfs`` is not below 0 dBFS.

    Examples
    --------
    >>> level_0_1(-30.0)
    0.5
    """
    if not floor_dbfs < 0:
        raise AudioError(f"floor_dbfs must be below 0 dBFS, got {floor_dbfs}")
    return min(1.0, max(0.0, (rms_dbfs - floor_dbfs) / -floor_dbfs))


def rms_dbfs(block: np.ndarray) -> float:
    """RMS level of a block in dBFS.

    Parameters
    ----------
    block : np.ndarray [shape=(n,) or (n, channels)]
        float samples in [-1, 1], or int16 (scaled by 1/32768). All channels count.

    Returns
    -------
    float
        ``20 * log10(rms)``, at least :data:`SILENCE_FLOOR_DBFS` (also for an empty block).

    Examples
    --------
    >>> round(rms_dbfs(np.sin(np.linspace(0, 200 * np.pi, 48000))), 2)
    -3.01
    """
    x = _as_float(block)
    if not x.size:
        return SILENCE_FLOOR_DBFS
    return rms_to_dbfs(math.sqrt(float(np.mean(np.square(x)))))


def peak_dbfs(block: np.ndarray) -> float:
    """Sample-peak level of a block in dBFS (``20 * log10(max |x|)``, floored).

    Parameters
    ----------
    block : np.ndarray [shape=(n,) or (n, channels)]
        float samples in [-1, 1], or int16.

    Returns
    -------
    float
        At least :data:`SILENCE_FLOOR_DBFS`.
    """
    x = _as_float(block)
    if not x.size:
        return SILENCE_FLOOR_DBFS
    return rms_to_dbfs(float(np.max(np.abs(x))))


@dataclass(frozen=True)
class LevelReading:
    """One meter reading: of one block (:func:`pcm16_levels`) or smoothed
    (:class:`LevelMeter`).

    Attributes
    ----------
    rms_dbfs : float
        RMS level, dBFS.
    peak_dbfs : float
        Sample-peak level, dBFS.
    level_0_1 : float
        ``rms_dbfs`` mapped linearly from [``floor_dbfs``, 0] dBFS to [0, 1], for a bar.
    """

    rms_dbfs: float
    peak_dbfs: float
    level_0_1: float


def pcm16_levels(
    pcm16: bytes | bytearray | memoryview, floor_dbfs: float = METER_FLOOR_DBFS
) -> LevelReading:
    """RMS and peak level of one frame of PCM16 LE bytes, rounded to 0.1 dB.

    Parameters
    ----------
    pcm16 : bytes-like
        Little-endian int16 samples, any channel count (all samples count); a trailing
        odd byte is ignored.
    floor_dbfs : float
        The level mapped to ``level_0_1 == 0`` (dBFS). Default :data:`METER_FLOOR_DBFS`.

    Returns
    -------
    LevelReading
        ``rms_dbfs`` and ``peak_dbfs`` rounded to :data:`LEVEL_DECIMALS` decimals and at
        least :data:`SILENCE_FLOOR_DBFS` (also for an empty frame); ``level_0_1`` from
        the unrounded RMS.

    Raises
    ------
    AudioError
        ``pcm16`` is not bytes-like, or ``floor_dbfs`` is not below 0 dBFS.

    Examples
    --------
    >>> reading = pcm16_levels(b"\\x00\\x40" * 480)  # 480 samples of 0.5 full scale
    >>> reading.rms_dbfs, reading.peak_dbfs, round(reading.level_0_1, 2)
    (-6.0, -6.0, 0.9)
    """
    try:
        view = memoryview(pcm16).cast("B")
    except TypeError as error:
        raise AudioError(f"pcm16_levels takes bytes, got {type(pcm16).__name__}") from error
    samples = np.frombuffer(view[: len(view) - len(view) % 2], dtype="<i2")
    if not samples.size:
        silence = SILENCE_FLOOR_DBFS
        return LevelReading(silence, silence, level_0_1(silence, floor_dbfs))
    # One float64 copy and a dot product (~3x cheaper than the generic path): every frame
    # a server relays gets a reading, so this is on its hot path. The sum of squares is
    # exact: each square is an integer below 2**30, every partial sum below 2**53 for
    # frames shorter than 2**23 samples; longer ones are summed as int64.
    if samples.size < _EXACT_FLOAT_SAMPLES:
        wide: np.ndarray = samples.astype(np.float64)
        sum_sq = float(np.dot(wide, wide))
    else:
        wide = samples.astype(np.int64)
        sum_sq = float(int(np.dot(wide, wide)))
    rms = rms_to_dbfs(math.sqrt(sum_sq / samples.size) / _INT16_SCALE)
    peak = rms_to_dbfs(max(int(samples.max()), -int(samples.min())) / _INT16_SCALE)
    return LevelReading(_rounded(rms), _rounded(peak), level_0_1(rms, floor_dbfs))


def _rounded(level_dbfs: float) -> float:
    return round(level_dbfs, LEVEL_DECIMALS) + 0.0  # + 0.0: -0.0 (peak at full scale) → 0.0


class LevelMeter:
    """A level meter with attack/release ballistics, for a UI bar.

    Each reading moves towards the block's level along a one-pole curve with time
    constant ``attack_ms`` when the level rises and ``release_ms`` when it falls
    (smoothing in dB, so a release falls at a steady dB/s rate, like a PPM). Block
    durations come from their length, so any block size gives the same ballistics.

    Parameters
    ----------
    attack_ms : float
        Rise time constant (ms); 0 follows rises instantly. Default 10 ms.
    release_ms : float
        Fall time constant (ms); 0 follows falls instantly. Default 300 ms.
    floor_dbfs : float
        The level shown as an empty bar (``level_0_1 == 0``). Default -60 dBFS.
    """

    def __init__(
        self,
        attack_ms: float = 10.0,
        release_ms: float = 300.0,
        floor_dbfs: float = METER_FLOOR_DBFS,
    ) -> None:
        if attack_ms < 0 or release_ms < 0:
            raise AudioError(
                f"attack_ms and release_ms must be >= 0, got {attack_ms} and {release_ms}"
            )
        if not SILENCE_FLOOR_DBFS <= floor_dbfs < 0:
            raise AudioError(f"floor_dbfs must be in [-100, 0), got {floor_dbfs}")
        self.attack_ms = attack_ms
        self.release_ms = release_ms
        self.floor_dbfs = floor_dbfs
        self._rms_dbfs = SILENCE_FLOOR_DBFS
        self._peak_dbfs = SILENCE_FLOOR_DBFS

    def reset(self) -> None:
        """Back to silence."""
        self._rms_dbfs = self._peak_dbfs = SILENCE_FLOOR_DBFS

    def update(self, block: np.ndarray, sample_rate_hz: int) -> LevelReading:
        """Feed the next block; return the smoothed reading.

        Parameters
        ----------
        block : np.ndarray [shape=(n,) or (n, channels)]
            float samples in [-1, 1] or int16.
        sample_rate_hz : int
            Rate of ``block``, to turn its length into time.

        Returns
        -------
        LevelReading
        """
        if sample_rate_hz <= 0:
            raise AudioError(f"sample_rate_hz must be positive, got {sample_rate_hz}")
        block_ms = len(block) * 1000.0 / sample_rate_hz
        self._rms_dbfs = self._follow(self._rms_dbfs, rms_dbfs(block), block_ms)
        self._peak_dbfs = self._follow(self._peak_dbfs, peak_dbfs(block), block_ms)
        return LevelReading(
            self._rms_dbfs, self._peak_dbfs, level_0_1(self._rms_dbfs, self.floor_dbfs)
        )

    def _follow(self, current: float, target: float, block_ms: float) -> float:
        time_constant_ms = self.attack_ms if target > current else self.release_ms
        if time_constant_ms == 0:
            return target
        weight = 1.0 - math.exp(-block_ms / time_constant_ms)
        return current + weight * (target - current)
