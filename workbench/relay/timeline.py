"""Per-turn latency timelines and their aggregates.

A turn's stages are stamped on one monotonic clock (ms). The derived figures are the
ones DESIGN.md names: time-to-first-audio (end of user speech → first audio handed to
the shell), model TTFB (end of user speech → first audio delta from upstream) and
relay overhead (first delta received → first audio handed to the shell).

Voice-to-voice latency is measured on the audio, by whoever holds it (the client):
from the end of speech in the input signal to the first audible reply sample at the
speaker. A client's :class:`~workbench.relay.voice_to_voice.TurnAudioReport` stamps
those instants (:data:`~workbench.relay.voice_to_voice.AUDIO_STAGES`); the timeline
then derives ``voice_to_voice_ms`` and its decomposition with the residual shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from workbench.relay.voice_to_voice import (
    FIRST_AUDIBLE_OUT,
    FIRST_AUDIO_RECEIVED,
    FIRST_SAMPLE_OUT,
    SPEECH_END,
    SPEECH_END_RECEIVED,
    TurnAudioReport,
    VoiceToVoice,
    decompose,
    marks_from_timeline,
)
from workbench.stats import summarize

#: Stage names in the order they normally happen within one turn.
STAGES: Final[tuple[str, ...]] = (
    "first_input_audio",
    "speech_started",
    SPEECH_END,
    SPEECH_END_RECEIVED,
    "speech_stopped",
    "commit",
    "response_create",
    "response_created",
    "first_audio_delta",
    "first_audio_out",
    FIRST_AUDIO_RECEIVED,
    "first_playout",
    FIRST_SAMPLE_OUT,
    FIRST_AUDIBLE_OUT,
    "last_audio_delta",
    "done",
)
_STAGE_SET: Final[frozenset[str]] = frozenset(STAGES)


@dataclass
class TurnTimeline:
    """Monotonic stage timestamps (ms) of one user→assistant turn.

    Parameters
    ----------
    turn_index : int
        0-based index of the turn within its session.
    marks_ms : dict[str, float]
        Stage name (one of :data:`STAGES`) → time in ms on the relay's clock. A stage
        is stamped once, at its first occurrence (the audio stages: by the newest
        client report).
    audio_report : dict[str, float | int]
        The newest client report's figures that are not instants (output latency,
        jitter buffer target, underruns, clock uncertainty); empty without a report.
    """

    turn_index: int
    marks_ms: dict[str, float] = field(default_factory=dict)
    audio_report: dict[str, float | int] = field(default_factory=dict)

    def mark(self, stage: str, t_ms: float) -> None:
        """Stamp ``stage`` at ``t_ms`` (ms) unless it was already stamped."""
        if stage not in _STAGE_SET:
            raise ValueError(f"unknown timeline stage {stage!r}; expected one of {STAGES}")
        self.marks_ms.setdefault(stage, t_ms)

    def has(self, stage: str) -> bool:
        """Whether ``stage`` has been stamped."""
        return stage in self.marks_ms

    @property
    def end_of_speech_ms(self) -> float | None:
        """When the user's turn ended: speech stop (VAD) or explicit commit, ms."""
        return self.marks_ms.get("speech_stopped", self.marks_ms.get("commit"))

    def _span(self, start: float | None, end_stage: str) -> float | None:
        end = self.marks_ms.get(end_stage)
        return None if start is None or end is None else end - start

    @property
    def ttfa_ms(self) -> float | None:
        """Time to first audio: end of user speech → first audio out to the shell (ms)."""
        return self._span(self.end_of_speech_ms, "first_audio_out")

    @property
    def model_ttfb_ms(self) -> float | None:
        """End of user speech → first audio delta received from upstream (ms)."""
        return self._span(self.end_of_speech_ms, "first_audio_delta")

    @property
    def relay_overhead_ms(self) -> float | None:
        """First audio delta received → first audio out to the shell (ms)."""
        return self._span(self.marks_ms.get("first_audio_delta"), "first_audio_out")

    @property
    def playout_delay_ms(self) -> float | None:
        """First audio out → first playout reported by the shell (ms)."""
        return self._span(self.marks_ms.get("first_audio_out"), "first_playout")

    def apply_audio_report(
        self, report: TurnAudioReport, *, speech_end_received_ms: float | None = None
    ) -> None:
        """Stamp a client's audio-measured instants (a newer report replaces an older one).

        Parameters
        ----------
        report : TurnAudioReport
            Instants on this timeline's clock (ms); instants the report leaves out keep
            what an earlier report said.
        speech_end_received_ms : float, optional
            When the relay received the input holding the end of speech (ms), found
            by the session from ``report.speech_end_input_ms``.
        """
        stamps = {
            SPEECH_END: report.speech_end_ms,
            SPEECH_END_RECEIVED: speech_end_received_ms,
            FIRST_AUDIO_RECEIVED: report.first_audio_received_ms,
            FIRST_SAMPLE_OUT: report.first_sample_ms,
            FIRST_AUDIBLE_OUT: report.first_audible_ms,
        }
        for stage, t_ms in stamps.items():
            if t_ms is not None:
                self.marks_ms[stage] = t_ms
        self.audio_report = report.figures()

    @property
    def voice_to_voice_ms(self) -> float | None:
        """End of speech in the input signal → first audible reply sample heard (ms)."""
        return self._span(self.marks_ms.get(SPEECH_END), FIRST_AUDIBLE_OUT)

    def voice_to_voice(self) -> VoiceToVoice | None:
        """The voice-to-voice decomposition (None until both audio instants are known)."""
        marks = marks_from_timeline(self.marks_ms)
        return None if marks is None else decompose(marks)

    def to_dict(self, origin_ms: float | None = None) -> dict[str, Any]:
        """JSON-ready dict: stages relative to ``origin_ms`` (default: first mark) + derived.

        Returns
        -------
        dict
            ``{"turn_index", "stages_ms": {stage: ms}, "ttfa_ms", "model_ttfb_ms",
            "relay_overhead_ms", "playout_delay_ms", "voice_to_voice_ms",
            "voice_to_voice", "audio_report"}``; missing stages are absent, unknown
            figures None (``voice_to_voice`` is the decomposition's ``to_dict()``).
        """
        origin = origin_ms if origin_ms is not None else min(self.marks_ms.values(), default=0.0)
        ordered = {s: round(self.marks_ms[s] - origin, 3) for s in STAGES if s in self.marks_ms}
        v2v = self.voice_to_voice()
        return {
            "turn_index": self.turn_index,
            "stages_ms": ordered,
            "ttfa_ms": _round(self.ttfa_ms),
            "model_ttfb_ms": _round(self.model_ttfb_ms),
            "relay_overhead_ms": _round(self.relay_overhead_ms),
            "playout_delay_ms": _round(self.playout_delay_ms),
            "voice_to_voice_ms": _round(self.voice_to_voice_ms),
            "voice_to_voice": None if v2v is None else v2v.to_dict(),
            "audio_report": dict(self.audio_report) or None,
        }

    def stage_rows(self, origin_ms: float | None = None) -> list[dict[str, Any]]:
        """The stages as plot-ready rows ``{"turn", "stage", "t_ms"}`` in stage order."""
        d = self.to_dict(origin_ms)
        return [
            {"turn": self.turn_index, "stage": stage, "t_ms": t}
            for stage, t in d["stages_ms"].items()
        ]


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@dataclass
class SessionTimeline:
    """Every turn of one relay session, with aggregate latency statistics."""

    turns: list[TurnTimeline] = field(default_factory=list)

    def new_turn(self) -> TurnTimeline:
        """Start and return the next turn."""
        turn = TurnTimeline(turn_index=len(self.turns))
        self.turns.append(turn)
        return turn

    def summary(self) -> dict[str, dict[str, float | int | None]]:
        """p50/p90/p99 of ttfa, model TTFB, relay overhead, playout delay, voice-to-voice (ms)."""
        done = [t for t in self.turns if t.has("done")]
        return {
            "ttfa_ms": summarize(t.ttfa_ms for t in done),
            "model_ttfb_ms": summarize(t.model_ttfb_ms for t in done),
            "relay_overhead_ms": summarize(t.relay_overhead_ms for t in done),
            "playout_delay_ms": summarize(t.playout_delay_ms for t in done),
            "voice_to_voice_ms": summarize(t.voice_to_voice_ms for t in done),
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready ``{"turns": [...], "summary": {...}}``."""
        return {"turns": [t.to_dict() for t in self.turns], "summary": self.summary()}

    def rows(self) -> list[dict[str, Any]]:
        """All stages of all turns as plot-ready dict rows (no pandas needed)."""
        return [row for t in self.turns for row in t.stage_rows()]
