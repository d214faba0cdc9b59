"""The mock's input audio buffer: appended PCM16, optional streaming VAD, commits.

Sample positions are absolute (they count all audio appended in the session), so
``audio_start_ms`` / ``audio_end_ms`` are in the service's time base: ms of audio
received. The buffer never looks at wall time.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.mock.vad import EnergyVad, SpeechStart, VadParams
from workbench.protocol.settings import SemanticVad, ServerVad, TurnDetection

SAMPLE_RATE_HZ = 24_000


def samples_to_ms(samples: int) -> int:
    """Whole ms of ``samples`` at 24 kHz (floor)."""
    return samples * 1000 // SAMPLE_RATE_HZ


@dataclass(frozen=True, slots=True)
class SpeechBegan:
    """VAD found speech; ``audio_start_ms`` includes the prefix padding."""

    audio_start_ms: int


@dataclass(frozen=True, slots=True)
class SpeechEnded:
    """VAD found the end of speech; ``audio_pcm16`` is the segment it commits
    (from the padded start to the end of the last voiced frame)."""

    audio_end_ms: int
    audio_pcm16: bytes


class InputBuffer:
    """Uncommitted input audio with an optional VAD (None: manual commits only)."""

    def __init__(self, turn_detection: TurnDetection | None) -> None:
        self._buffer = bytearray()
        self._start = 0  # absolute sample index of _buffer[0]
        self._received_bytes = 0
        self._speech_start: int | None = None
        self._vad: EnergyVad | None = None
        self.set_turn_detection(turn_detection)

    @property
    def vad_on(self) -> bool:
        """Whether a VAD is running."""
        return self._vad is not None

    @property
    def buffered_ms(self) -> float:
        """Duration of the uncommitted audio (ms)."""
        return len(self._buffer) // 2 * 1000.0 / SAMPLE_RATE_HZ

    def set_turn_detection(self, td: TurnDetection | None) -> None:
        """Start a new VAD for ``td`` (server or semantic VAD) or none."""
        position = self._received_bytes // 2
        if isinstance(td, ServerVad | SemanticVad):
            self._vad = EnergyVad(VadParams.from_turn_detection(td), start_sample=position)
            self._vad.reset(self._start)
        else:
            self._vad = None
        self._speech_start = None

    def append(self, audio: bytes) -> list[SpeechBegan | SpeechEnded]:
        """Add audio; return the VAD boundaries it completes (in order)."""
        self._buffer += audio
        self._received_bytes += len(audio)
        if self._vad is None:
            return []
        out: list[SpeechBegan | SpeechEnded] = []
        for boundary in self._vad.process(audio):
            if isinstance(boundary, SpeechStart):
                self._speech_start = boundary.start_sample
                out.append(SpeechBegan(samples_to_ms(boundary.start_sample)))
                continue
            start = max(self._start, self._speech_start or 0)
            segment = self._slice(start, boundary.end_sample)
            self._drop_through(boundary.detected_sample)
            self._speech_start = None
            out.append(SpeechEnded(samples_to_ms(boundary.end_sample), segment))
        return out

    def take_all(self) -> bytes:
        """Commit everything buffered (whole samples); the VAD forgets any speech."""
        whole = len(self._buffer) // 2 * 2
        audio = bytes(self._buffer[:whole])
        self._drop_through(self._start + whole // 2)
        self._restart_vad()
        return audio

    def clear(self) -> None:
        """Drop everything buffered; the VAD forgets any speech."""
        self.take_all()

    def _restart_vad(self) -> None:
        self._speech_start = None
        if self._vad is not None:
            self._vad.reset(self._start)

    def _slice(self, start_sample: int, end_sample: int) -> bytes:
        a = max(0, start_sample - self._start) * 2
        b = max(0, end_sample - self._start) * 2
        return bytes(self._buffer[a:b])

    def _drop_through(self, sample: int) -> None:
        cut = max(0, sample - self._start) * 2
        del self._buffer[:cut]
        self._start += cut // 2
