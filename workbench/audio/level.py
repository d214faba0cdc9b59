"""Signal levels in dBFS, per block and smoothed for a UI meter.

Conventions: 0 dBFS is a full-scale *square* wave, so a full-scale sine reads
-3.01 dBFS RMS and 0 dBFS peak (no +3 dB "sine" correction). Silence, and anything
below it, reads :data:`SILENCE_FLOOR_DBFS` (-100 dBFS) instead of minus infinity, so
values are always finite, JSON-safe and plottable.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from workbench.errors import AudioError

SILENCE_FLOOR_DBFS = -100.0
"""The lowest level reported (digital silence); about 10 dB below PCM16's noise floor."""

_INT16_SCALE = 32768.0


def _as_float(block: np.ndarray) -> np.ndarray:
    x = np.asarray(block)
    if x.dtype == np.int16:
        return x.astype(np.float64) / _INT16_SCALE
    if not np.issubdtype(x.dtype, np.floating):
        raise AudioError(f"level meters take float or int16 samples, got {x.dtype}")
    return x.astype(np.float64, copy=False)


def _to_dbfs(amplitude: float) -> float:
    if amplitude <= 0.0:
        return SILENCE_FLOOR_DBFS
    return max(SILENCE_FLOOR_DBFS, 20.0 * math.log10(amplitude))


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
    return _to_dbfs(math.sqrt(float(np.mean(np.square(x)))))


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
    return _to_dbfs(float(np.max(np.abs(x))))


@dataclass(frozen=True)
class LevelReading:
    """One meter reading.

    Attributes
    ----------
    rms_dbfs : float
        Smoothed RMS level, dBFS.
    peak_dbfs : float
        Smoothed sample-peak level, dBFS.
    level_0_1 : float
        ``rms_dbfs`` mapped linearly from [``floor_dbfs``, 0] dBFS to [0, 1], for a bar.
    """

    rms_dbfs: float
    peak_dbfs: float
    level_0_1: float


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
        self, attack_ms: float = 10.0, release_ms: float = 300.0, floor_dbfs: float = -60.0
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
        span = -self.floor_dbfs
        level = min(1.0, max(0.0, (self._rms_dbfs - self.floor_dbfs) / span))
        return LevelReading(self._rms_dbfs, self._peak_dbfs, level)

    def _follow(self, current: float, target: float, block_ms: float) -> float:
        time_constant_ms = self.attack_ms if target > current else self.release_ms
        if time_constant_ms == 0:
            return target
        weight = 1.0 - math.exp(-block_ms / time_constant_ms)
        return current + weight * (target - current)
