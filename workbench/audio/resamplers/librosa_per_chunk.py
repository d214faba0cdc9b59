"""``librosa-per-chunk``: ``librosa.resample`` on every chunk (how many tutorials do it)."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.per_chunk import PerChunkResampler


class LibrosaPerChunk(PerChunkResampler):
    """Each chunk through ``librosa.resample`` (its default filter), cut to length."""

    name: ClassVar[str] = "librosa-per-chunk"
    summary: ClassVar[str] = "librosa.resample on each chunk"

    def _convert(self, x: np.ndarray, n_out: int) -> np.ndarray:
        import librosa  # slow to import; only this comparison method needs it

        y = librosa.resample(x, orig_sr=self.in_rate_hz, target_sr=self.out_rate_hz)
        out: np.ndarray = librosa.util.fix_length(y, size=n_out)
        return out
