"""Helpers of the UI tests: fixture audio as Gradio delivers it, signal comparison."""

from __future__ import annotations

import io
import wave
from pathlib import Path

import numpy as np
from gradio.route_utils import Request

from workbench.mock.config import LatencyModel, MockConfig
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings

AUDIO_DIR = Path(__file__).resolve().parents[3] / "fixtures" / "audio"


def read_wav_int16(path: Path) -> tuple[int, np.ndarray]:
    """(sample_rate_hz, int16 samples) of a PCM16 WAV, like Gradio's numpy microphone."""
    with wave.open(str(path), "rb") as w:
        assert w.getsampwidth() == 2
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        channels = w.getnchannels()
        return w.getframerate(), data.reshape(-1, channels) if channels > 1 else data


def wav_to_pcm16(data: bytes) -> bytes:
    """The PCM payload of WAV bytes."""
    with wave.open(io.BytesIO(data), "rb") as w:
        return w.readframes(w.getnframes())


def envelope(x: np.ndarray, rate_hz: int, frame_ms: float = 10.0) -> np.ndarray:
    """RMS per ``frame_ms`` frame (a rate-independent shape of the signal)."""
    n = max(1, round(rate_hz * frame_ms / 1000))
    usable = len(x) - len(x) % n
    frames = x[:usable].astype(np.float64).reshape(-1, n)
    return np.sqrt(np.mean(frames**2, axis=1))


def best_correlation(a: np.ndarray, b: np.ndarray) -> float:
    """Peak normalised cross-correlation (−1…1) of two envelopes over all lags."""
    a = a - a.mean()
    b = b - b.mean()
    scale = float(np.linalg.norm(a) * np.linalg.norm(b)) + 1e-12
    return float(np.correlate(a, b, mode="full").max() / scale)


def ui_service(ttfa_ms: float = 40.0, speed_x: float = 50.0, **changes: object) -> SessionService:
    """A session service on the in-process echo mock with a fast latency model.

    ``changes`` are :class:`RelaySettings` defaults by name.
    """
    defaults = RelaySettings(mock_ttfa_ms=ttfa_ms, mock_speed_x=speed_x, **changes)  # type: ignore[arg-type]
    resolver = BackendResolver(mock_base=MockConfig(behaviour="echo", latency=LatencyModel()))
    return SessionService(resolver=resolver, defaults=defaults)


def request(session_hash: str = "browser-1") -> Request:
    """A Gradio request as the queue passes it to handlers."""
    return Request(session_hash=session_hash)
