"""libsoxr through python-soxr's streaming object: ``soxr-hq`` (default), ``-vhq``, ``-qq``.

One class, parameterised by libsoxr's quality recipe; each registered method is a
three-line subclass naming its quality. Public python-soxr calls only:
``ResampleStream.resample_chunk`` (chunks and the final flush), ``delay()`` (the
look-ahead) and ``soxr.resample`` (the library's own one-shot).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import soxr

from workbench.audio.resamplers.base import Resampler

_NO_INPUT = np.zeros(0, dtype=np.float32)  # the final call of a stream passes no samples


class SoxrStream(Resampler):
    """A ``soxr.ResampleStream`` (mono, float32) at the class's ``quality``.

    libsoxr works in blocks, so its look-ahead swings between chunks (HQ at 48 → 24 kHz
    in 20 ms chunks: up to ~38 ms); ``delay_samples`` reports it as libsoxr counts it.
    """

    stateful: ClassVar[bool] = True
    quality: ClassVar[str]
    """libsoxr recipe: ``"QQ"``, ``"LQ"``, ``"MQ"``, ``"HQ"`` or ``"VHQ"``."""

    def __init__(self, in_rate_hz: int, out_rate_hz: int) -> None:
        super().__init__(in_rate_hz, out_rate_hz)
        self._stream = soxr.ResampleStream(
            in_rate_hz, out_rate_hz, 1, dtype="float32", quality=self.quality
        )

    def process(self, x: np.ndarray) -> np.ndarray:
        """Resample the next chunk (float32, shape (n,)) → float32, shape (m,)."""
        out: np.ndarray = self._stream.resample_chunk(x)
        return out

    def flush(self) -> np.ndarray:
        """The tail libsoxr holds for its filter (``resample_chunk(…, last=True)``)."""
        out: np.ndarray = self._stream.resample_chunk(_NO_INPUT, last=True)
        return out

    @property
    def delay_samples(self) -> float:
        """libsoxr's pending output (``ResampleStream.delay()``), output samples."""
        return float(self._stream.delay())

    @classmethod
    def one_shot(cls, x: np.ndarray, in_rate_hz: int, out_rate_hz: int) -> np.ndarray:
        """``soxr.resample``: the library's own one-shot (the streaming output equals it)."""
        out = soxr.resample(x, in_rate_hz, out_rate_hz, quality=cls.quality)
        return np.asarray(out, dtype=np.float32)


class SoxrHQ(SoxrStream):
    name: ClassVar[str] = "soxr-hq"
    quality: ClassVar[str] = "HQ"
    summary: ClassVar[str] = "libsoxr high quality (the default)"


class SoxrVHQ(SoxrStream):
    name: ClassVar[str] = "soxr-vhq"
    quality: ClassVar[str] = "VHQ"
    summary: ClassVar[str] = "libsoxr very high quality"


class SoxrQQ(SoxrStream):
    name: ClassVar[str] = "soxr-qq"
    quality: ClassVar[str] = "QQ"
    summary: ClassVar[str] = 'libsoxr "quick": cubic interpolation, no filter'
