"""Test signals for the resampler tests (noise, tones) and a chunked run."""

from __future__ import annotations

import numpy as np

from workbench.audio import StreamingResampler


def noise(n: int, seed: int = 0) -> np.ndarray:
    """``n`` samples of white noise, RMS 0.2, float32."""
    return (np.random.default_rng(seed).standard_normal(n) * 0.2).astype(np.float32)


def sine(frequency_hz: float, rate_hz: int, duration_s: float) -> np.ndarray:
    """A sine of amplitude 0.5, float32."""
    t = np.arange(round(duration_s * rate_hz)) / rate_hz
    return (0.5 * np.sin(2 * np.pi * frequency_hz * t)).astype(np.float32)


def power_db(x: np.ndarray, reference: np.ndarray) -> float:
    """Mean power of ``x`` re that of ``reference`` (dB)."""
    power = np.mean(np.square(x, dtype=np.float64))
    reference_power = np.mean(np.square(reference, dtype=np.float64))
    return float(10 * np.log10(power / reference_power + 1e-30))


def run_chunked(resampler: StreamingResampler, x: np.ndarray, cuts: list[int]) -> np.ndarray:
    """``x`` through ``resampler`` cut at ``cuts``, then the flush, concatenated."""
    outputs = []
    start = 0
    for end in [*sorted(set(cuts)), len(x)]:
        if end > start:
            out = resampler.process(x[start:end])
            assert out.dtype == np.float32 and out.ndim == 1
            outputs.append(out)
            start = end
    outputs.append(resampler.flush())
    return np.concatenate(outputs)
