"""Fixture clips and signal measures: is the reply the same speech as the input?"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

AUDIO_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "audio"


def load_ref(name: str = "ref_en_hear_24k_pcm16.wav") -> np.ndarray:
    """A 24 kHz mono reference clip from fixtures/audio as float32."""
    samples, rate_hz = sf.read(AUDIO_DIR / name, dtype="float32")
    assert rate_hz == 24_000
    return np.asarray(samples, dtype=np.float32)


def pcm16_to_f32(pcm: bytes) -> np.ndarray:
    """PCM16 LE bytes as float32 in [-1, 1) (a trailing odd byte is ignored)."""
    return np.frombuffer(pcm[: len(pcm) // 2 * 2], dtype="<i2").astype(np.float32) / 32768.0


def peak_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Peak of the normalised cross-correlation of two signals (1.0 = same shape)."""
    n = len(a) + len(b) - 1
    size = 1 << (n - 1).bit_length()
    spec = np.fft.rfft(a, size) * np.conj(np.fft.rfft(b, size))
    xcorr = np.fft.irfft(spec, size)
    denom = float(np.linalg.norm(a) * np.linalg.norm(b)) or 1.0
    return float(np.max(np.abs(xcorr)) / denom)
