"""Helpers of the browser tests: the real workbench server in a thread, a fake-mic WAV,
headless Chromium with a fake microphone, and the page-side taps that record what the
microphone heard and what the speakers played."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soxr

from workbench.app.server.headless import (
    AUDIO_DIR,
    CHROMIUM,
    MIC_RATE_HZ,
    MOCK_TTFA_MS,
    VAD_SILENCE_MS,
    RunningServer,
    launch_args,
    serve_asgi_in_thread,
    serve_in_thread,
    speech_48k,
    write_mic_wav,
)
from workbench.mock.config import LatencyModel, MockConfig
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings

__all__ = [
    "AUDIO_DIR",
    "CHROMIUM",
    "MIC_RATE_HZ",
    "MOCK_TTFA_MS",
    "RESULTS_DIR",
    "TAPS_JS",
    "VAD_SILENCE_MS",
    "RunningServer",
    "chromium_or_skip",
    "envelope",
    "launch_args",
    "loud_correlation",
    "loud_span_s",
    "make_test_service",
    "record_latency",
    "resample",
    "serve_asgi_in_thread",
    "serve_in_thread",
    "snippet_matches",
    "speech_48k",
    "write_mic_wav",
]

REPO = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO / "results"
#: The test-only init script that taps the microphone and the media elements.
TAPS_JS = Path(__file__).with_name("page_taps.js")


def make_test_service() -> SessionService:
    """Echo mock with a known time to first audio; server VAD with a short silence."""
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=MOCK_TTFA_MS))
    defaults = RelaySettings(
        turn_detection="server_vad",
        vad_silence_ms=VAD_SILENCE_MS,
        mock_ttfa_ms=MOCK_TTFA_MS,
        mock_speed_x=1.0,
    )
    return SessionService(resolver=BackendResolver(mock_base=mock), defaults=defaults)


def envelope(x: np.ndarray, rate_hz: float, frame_ms: float = 5.0) -> np.ndarray:
    """RMS per ``frame_ms`` frame."""
    n = max(1, round(rate_hz * frame_ms / 1000))
    usable = len(x) - len(x) % n
    return np.sqrt(np.mean(x[:usable].astype(np.float64).reshape(-1, n) ** 2, axis=1))


def loud_span_s(x: np.ndarray, rate_hz: float, threshold: float = 0.01) -> float:
    """Seconds from the first to the last 5 ms frame louder than ``threshold`` (RMS)."""
    loud = np.flatnonzero(envelope(x, rate_hz) > threshold)
    return float((loud[-1] - loud[0]) * 0.005) if loud.size else 0.0


def loud_correlation(played: np.ndarray, ref: np.ndarray, max_lag: int = 6) -> float:
    """Pearson correlation of two envelopes after dropping their quiet frames.

    Dropping frames below 10 % of the peak removes silence around the reply *and* any
    gap a stalled player inserted, so what is compared is the sequence of sounds.
    """
    a = played[played > 0.1 * float(played.max())]
    b = ref[ref > 0.1 * float(ref.max())]
    best = -1.0
    for lag in range(-max_lag, max_lag + 1):
        x, y = (a[lag:], b) if lag >= 0 else (a, b[-lag:])
        n = min(len(x), len(y))
        if n > 10:
            best = max(best, float(np.corrcoef(x[:n], y[:n])[0, 1]))
    return best


def snippet_matches(
    spoken: np.ndarray, played: np.ndarray, rate_hz: float, *, snippet_s: float = 0.25
) -> list[tuple[float, float]]:
    """Find three snippets of ``spoken`` (at 20/50/80 % of its loud part) in ``played``.

    Waveform matching (normalised cross-correlation at 16 kHz) survives what envelope
    comparisons do not: a player that stalls and skips a little. Returns ``(peak NCC,
    position s)`` per snippet; an echo scores ~0.8–1, unrelated speech below ~0.4.
    """
    from scipy.signal import fftconvolve

    a = resample(spoken.astype(np.float64), rate_hz, 16_000)
    b = resample(played.astype(np.float64), rate_hz, 16_000)
    loud = np.flatnonzero(envelope(a, 16_000) > 0.01)
    first, last = loud[0] * 80, loud[-1] * 80  # 5 ms frames of 80 samples
    n = int(snippet_s * 16_000)
    out: list[tuple[float, float]] = []
    for frac in (0.2, 0.5, 0.8):
        start = int(first + frac * (last - first - n))
        snip = a[start : start + n] - a[start : start + n].mean()
        num = fftconvolve(b, snip[::-1], mode="valid")
        energy = (
            np.convolve(b * b, np.ones(n), mode="valid")
            - (np.convolve(b, np.ones(n), mode="valid") ** 2) / n
        )
        ncc = num / (np.linalg.norm(snip) * np.sqrt(np.maximum(energy, 1e-12)))
        best = int(np.argmax(ncc))
        out.append((float(ncc[best]), best / 16_000))
    return out


def resample(x: np.ndarray, in_hz: float, out_hz: float) -> np.ndarray:
    """One-shot resample for comparisons."""
    return soxr.resample(x, in_hz, out_hz) if in_hz != out_hz else x


def chromium_or_skip() -> Path:
    """The system Chromium, or skip the test saying why (no browser is downloaded)."""
    import pytest

    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to run browser tests")
    return CHROMIUM


def record_latency(key: str, figures: dict[str, object]) -> Path:
    """Merge one path's figures into results/browser_latency.json."""
    import json
    import time

    RESULTS_DIR.mkdir(exist_ok=True)
    path = RESULTS_DIR / "browser_latency.json"
    data: dict[str, object] = json.loads(path.read_text()) if path.exists() else {}
    data.setdefault(
        "setup",
        {
            "mock": "in-process echo",
            "mock_ttfa_ms": MOCK_TTFA_MS,
            "turn_detection": "server_vad",
            "vad_silence_ms": VAD_SILENCE_MS,
            "browser": "headless Chromium, fake microphone (48 kHz WAV)",
            "definition": "mic_to_first_playout_ms: last voiced microphone sample -> "
            "first sample of the reply at the speaker; mic_to_audible_ms: ... -> first "
            "loud reply sample (the echo starts with the VAD's 300 ms prefix padding); "
            "measured in the page on the audio clock (+ output latency); path_overhead_ms "
            "= first playout - VAD silence - mock TTFA",
        },
    )
    data[key] = {**figures, "measured_unix_s": round(time.time(), 1)}
    path.write_text(json.dumps(data, indent=2) + "\n")
    return path
