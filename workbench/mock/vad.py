"""A streaming frame-energy voice activity detector, like the service's ``server_vad``.

Audio is cut into 10 ms frames on the absolute sample stream (a carry holds the
partial frame), so the boundaries found are the same whatever the chunk sizes of the
input — feeding 7 bytes at a time or a whole file gives identical results.

Threshold mapping
-----------------
The service's ``threshold`` is a number in 0..1 where higher needs louder audio. The
mock maps it linearly to a frame energy (RMS) threshold in dBFS::

    threshold_dbfs = -75 + 60 * threshold     # 0.0 -> -75, 0.5 -> -45, 1.0 -> -15 dBFS

(a full-scale sine is -3 dBFS RMS; quiet speech is around -40, a silent room below -60).

Semantic VAD is approximated by the same energy detector with a silence duration
chosen from ``eagerness`` (:data:`SEMANTIC_SILENCE_MS`): low 2000 ms, medium and auto
800 ms, high 250 ms; threshold 0.5 and prefix padding 300 ms.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workbench.protocol.settings import SemanticVad, ServerVad

SAMPLE_RATE_HZ = 24_000
FRAME_MS = 10
FRAME_SAMPLES = SAMPLE_RATE_HZ * FRAME_MS // 1000
SEMANTIC_SILENCE_MS = {"low": 2000, "medium": 800, "auto": 800, "high": 250}
SEMANTIC_PREFIX_PADDING_MS = 300
SEMANTIC_THRESHOLD = 0.5


def threshold_to_dbfs(threshold: float) -> float:
    """Map the service's 0..1 VAD threshold to a frame RMS threshold in dBFS (clamped)."""
    return -75.0 + 60.0 * min(1.0, max(0.0, threshold))


def frame_dbfs(frame: np.ndarray) -> float:
    """RMS level (dBFS) of one frame of int16 samples (-inf-safe: floor at -120 dBFS)."""
    x = frame.astype(np.float64) / 32768.0
    mean_square = float(np.mean(x * x)) if x.size else 0.0
    return 10.0 * float(np.log10(mean_square + 1e-12))


@dataclass(frozen=True, slots=True)
class SpeechStart:
    """Speech began. Sample positions count all audio appended in the session.

    ``start_sample`` is the onset minus the prefix padding (never before ``floor``).
    """

    onset_sample: int
    start_sample: int


@dataclass(frozen=True, slots=True)
class SpeechStop:
    """Speech ended at ``end_sample`` (end of the last voiced frame); it was detected
    at ``detected_sample`` (after ``silence_duration_ms`` of silence)."""

    end_sample: int
    detected_sample: int


VadBoundary = SpeechStart | SpeechStop


@dataclass(frozen=True, slots=True)
class VadParams:
    """Energy VAD parameters in the units the detector uses."""

    threshold_dbfs: float
    prefix_padding_ms: int
    silence_duration_ms: int

    @classmethod
    def from_turn_detection(cls, td: ServerVad | SemanticVad) -> VadParams:
        """Parameters for a ``server_vad`` or (approximated) ``semantic_vad`` setting."""
        if isinstance(td, ServerVad):
            return cls(
                threshold_to_dbfs(td.threshold), td.prefix_padding_ms, td.silence_duration_ms
            )
        return cls(
            threshold_to_dbfs(SEMANTIC_THRESHOLD),
            SEMANTIC_PREFIX_PADDING_MS,
            SEMANTIC_SILENCE_MS[td.eagerness],
        )


class EnergyVad:
    """Streaming energy VAD on 10 ms frames (sans-I/O, deterministic).

    Parameters
    ----------
    params : VadParams
        Threshold (dBFS), prefix padding (ms) and silence duration (ms).
    start_sample : int
        Absolute index of the first sample this detector will see (when it is created
        mid-session after a ``session.update``).
    """

    def __init__(self, params: VadParams, start_sample: int = 0) -> None:
        self.params = params
        self._carry = b""
        self._position = start_sample  # absolute index of the next frame's first sample
        self._floor = start_sample
        self._speaking = False
        self._last_voiced_end = 0
        self._silence_samples = max(1, params.silence_duration_ms * SAMPLE_RATE_HZ // 1000)
        self._padding_samples = params.prefix_padding_ms * SAMPLE_RATE_HZ // 1000

    @property
    def speaking(self) -> bool:
        """Whether the detector is inside speech."""
        return self._speaking

    def process(self, pcm16: bytes) -> list[VadBoundary]:
        """Feed PCM16 LE mono 24 kHz bytes (any length); return boundaries in order."""
        data = self._carry + pcm16
        frame_bytes = FRAME_SAMPLES * 2
        n_frames = len(data) // frame_bytes
        self._carry = data[n_frames * frame_bytes :]
        if n_frames == 0:
            return []
        frames = np.frombuffer(data, dtype="<i2", count=n_frames * FRAME_SAMPLES)
        x = frames.reshape(n_frames, FRAME_SAMPLES).astype(np.float64) / 32768.0
        levels_dbfs = 10.0 * np.log10(np.mean(x * x, axis=1) + 1e-12)
        voiced_frames = (levels_dbfs >= self.params.threshold_dbfs).tolist()
        out: list[VadBoundary] = []
        for voiced in voiced_frames:
            start = self._position
            end = start + FRAME_SAMPLES
            self._position = end
            if not self._speaking:
                if voiced:
                    self._speaking = True
                    self._last_voiced_end = end
                    padded = max(self._floor, start - self._padding_samples)
                    out.append(SpeechStart(onset_sample=start, start_sample=padded))
            elif voiced:
                self._last_voiced_end = end
            elif end - self._last_voiced_end >= self._silence_samples:
                self._speaking = False
                out.append(SpeechStop(end_sample=self._last_voiced_end, detected_sample=end))
        return out

    def reset(self, floor_sample: int) -> None:
        """Forget any speech in progress (after a commit or clear).

        ``floor_sample`` is the earliest sample the next speech start may pad back to
        (the start of the new input buffer). Unprocessed carry samples are kept.
        """
        self._speaking = False
        self._floor = floor_sample
