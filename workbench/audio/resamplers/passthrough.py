"""Equal input and output rates: samples pass through unchanged, whatever the method."""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from workbench.audio.resamplers.base import Resampler


class Passthrough(Resampler):
    """Copies its input (no look-ahead). Not a method of its own: the registry uses it
    for every method when ``in_rate_hz == out_rate_hz``."""

    name: ClassVar[str] = "passthrough"
    stateful: ClassVar[bool] = True
    summary: ClassVar[str] = "equal rates: a copy"

    def process(self, x: np.ndarray) -> np.ndarray:
        """Return a copy of ``x`` (float32, shape (n,))."""
        return x.copy()

    def flush(self) -> np.ndarray:
        """Nothing is held back: an empty float32 array."""
        return np.zeros(0, dtype=np.float32)

    @property
    def delay_samples(self) -> float:
        """Always 0."""
        return 0.0
