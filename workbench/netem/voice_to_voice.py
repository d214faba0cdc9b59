"""Voice-to-voice latency and where it goes: a pure decomposition with a visible residual.

The total is measured on the audio: from the end of the user's speech in the input
signal to the first audible sample of the reply at the output (both found by
:mod:`workbench.audio.onsets`). The parts come from timeline marks in between, in the
order a turn passes them::

    speech end (audio) ─ uplink ─ input end at relay ─ turn detection ─ turn end
    (speech_stopped | commit) ─ model ─ first audio delta ─ downlink ─ first audio
    at the client ─ buffering (jitter buffer, device, leading silence) ─ reply audible

Each part is the difference of two consecutive marks, so with every mark present the
parts add up to the total exactly. A missing mark makes its two neighbouring parts
unknown (``None``); their time is then in ``residual_ms = total - sum(known parts)``,
reported, never spread over the other parts. Every instant must be on one clock (ms);
a part that comes out negative means the marks were not, and is listed in
``negative_parts``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

#: The parts, in the order a turn passes them.
PARTS: Final[tuple[str, ...]] = ("uplink", "turn_detection", "model", "downlink", "buffering")


@dataclass(frozen=True, slots=True)
class VoiceToVoiceMarks:
    """The instants of one turn, all on one clock (ms).

    Attributes
    ----------
    speech_end_ms : float
        End of the user's speech, found in the input signal (audio-measured).
    reply_audible_ms : float
        First audible sample of the reply at the output (audio-measured).
    input_end_received_ms : float, optional
        The relay received the input audio that holds the end of speech.
    turn_end_ms : float, optional
        The turn ended for the model: ``speech_stopped`` (server VAD) or ``commit``.
    first_audio_delta_ms : float, optional
        The first reply audio arrived from the model.
    first_audio_received_ms : float, optional
        The first reply audio reached the client (for an in-process shell: the relay's
        ``first_audio_out``).
    """

    speech_end_ms: float
    reply_audible_ms: float
    input_end_received_ms: float | None = None
    turn_end_ms: float | None = None
    first_audio_delta_ms: float | None = None
    first_audio_received_ms: float | None = None

    def boundaries(self) -> tuple[float | None, ...]:
        """The six instants in turn order (None where unknown)."""
        return (
            self.speech_end_ms,
            self.input_end_received_ms,
            self.turn_end_ms,
            self.first_audio_delta_ms,
            self.first_audio_received_ms,
            self.reply_audible_ms,
        )


@dataclass(frozen=True, slots=True)
class VoiceToVoice:
    """A voice-to-voice measurement and its decomposition (ms).

    Attributes
    ----------
    total_ms : float
        ``reply_audible_ms - speech_end_ms``.
    parts_ms : dict[str, float or None]
        Each of :data:`PARTS`; ``None`` when a mark around it is missing.
    residual_ms : float
        ``total_ms`` minus the known parts (0 when every mark is present).
    missing : tuple of str
        The parts that could not be measured.
    negative_parts : tuple of str
        Parts below 0: marks from different clocks or out of order.
    """

    total_ms: float
    parts_ms: dict[str, float | None]
    residual_ms: float
    missing: tuple[str, ...]
    negative_parts: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, rounded to 0.001 ms."""
        return {
            "total_ms": round(self.total_ms, 3),
            "parts_ms": {k: None if v is None else round(v, 3) for k, v in self.parts_ms.items()},
            "residual_ms": round(self.residual_ms, 3),
            "missing": list(self.missing),
            "negative_parts": list(self.negative_parts),
        }


def decompose(marks: VoiceToVoiceMarks) -> VoiceToVoice:
    """Split the measured voice-to-voice latency into its parts.

    Parameters
    ----------
    marks : VoiceToVoiceMarks
        The turn's instants on one clock (ms).

    Returns
    -------
    VoiceToVoice
        ``sum(known parts) + residual_ms == total_ms`` (to float rounding).

    Raises
    ------
    ValueError
        If an instant is not finite.

    Examples
    --------
    >>> v = decompose(VoiceToVoiceMarks(0.0, 900.0, 50.0, 560.0, 760.0, None))
    >>> v.parts_ms["model"], v.parts_ms["downlink"], v.residual_ms
    (200.0, None, 140.0)
    """
    bounds = marks.boundaries()
    for value in bounds:
        if value is not None and not math.isfinite(value):
            raise ValueError(f"voice-to-voice marks must be finite, got {value}")
    parts: dict[str, float | None] = {}
    for name, start, end in zip(PARTS, bounds[:-1], bounds[1:], strict=True):
        parts[name] = None if start is None or end is None else end - start
    total_ms = marks.reply_audible_ms - marks.speech_end_ms
    known = sum(v for v in parts.values() if v is not None)
    return VoiceToVoice(
        total_ms=total_ms,
        parts_ms=parts,
        residual_ms=total_ms - known,
        missing=tuple(k for k, v in parts.items() if v is None),
        negative_parts=tuple(k for k, v in parts.items() if v is not None and v < 0),
    )


def marks_from_timeline(
    marks_ms: Mapping[str, float],
    *,
    speech_end_ms: float,
    reply_audible_ms: float,
    input_end_received_ms: float | None = None,
    first_audio_received_ms: float | None = None,
) -> VoiceToVoiceMarks:
    """Voice-to-voice marks from a relay turn's stage marks plus the two audio instants.

    Parameters
    ----------
    marks_ms : Mapping[str, float]
        A :class:`~workbench.relay.timeline.TurnTimeline`'s ``marks_ms`` (ms).
    speech_end_ms, reply_audible_ms : float
        The audio-measured instants, on the timeline's clock (ms).
    input_end_received_ms : float, optional
        When the relay received the input holding the end of speech (ms).
    first_audio_received_ms : float, optional
        When the client got the first reply audio (unknown if not given). An
        in-process shell (CLI, notebook) passes the relay's ``first_audio_out``.

    Returns
    -------
    VoiceToVoiceMarks
    """
    turn_end = marks_ms.get("speech_stopped", marks_ms.get("commit"))
    return VoiceToVoiceMarks(
        speech_end_ms=speech_end_ms,
        reply_audible_ms=reply_audible_ms,
        input_end_received_ms=input_end_received_ms,
        turn_end_ms=turn_end,
        first_audio_delta_ms=marks_ms.get("first_audio_delta"),
        first_audio_received_ms=first_audio_received_ms,
    )
