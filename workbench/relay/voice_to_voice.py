"""Voice-to-voice latency and where it goes: a pure decomposition with a visible residual.

The total is measured on the audio: from the end of the user's speech in the input
signal to the first audible sample of the reply at the output (both found by
:mod:`workbench.audio.onsets`, by whoever holds the samples: the browser, a CLI, a
benchmark client). The parts come from timeline marks in between, in the order a turn
passes them::

    speech end (audio) ─ uplink ─ input end at relay ─ turn detection ─ turn end
    (speech_stopped | commit) ─ model ─ first audio delta ─ downlink ─ first audio
    at the client ─ buffering (jitter buffer, device, leading silence) ─ reply audible

Each part is the difference of two consecutive marks, so with every mark present the
parts add up to the total exactly. A missing mark makes its two neighbouring parts
unknown (``None``); their time is then in ``residual_ms = total - sum(known parts)``,
reported, never spread over the other parts. Every instant must be on one clock (ms);
a part that comes out negative means the marks were not, and is listed in
``negative_parts``.

A client reports its audio-measured instants in a :class:`TurnAudioReport` (on the
relay's clock, after a clock sync); :class:`~workbench.relay.timeline.TurnTimeline`
stamps them as the stages in :data:`AUDIO_STAGES`.
"""

from __future__ import annotations

import bisect
import math
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

#: The parts, in the order a turn passes them.
PARTS: Final[tuple[str, ...]] = ("uplink", "turn_detection", "model", "downlink", "buffering")

#: Timeline stages measured on the audio (or reported by the client that holds it):
#: the end of speech in the input signal; when the relay received the input holding
#: it; when the client received the first reply audio; the first reply sample and the
#: first audible reply sample at the speaker (after the jitter buffer and the device).
SPEECH_END: Final = "input_speech_end"
SPEECH_END_RECEIVED: Final = "input_speech_end_received"
FIRST_AUDIO_RECEIVED: Final = "first_audio_received"
FIRST_SAMPLE_OUT: Final = "first_sample_out"
FIRST_AUDIBLE_OUT: Final = "first_audible_out"
AUDIO_STAGES: Final[tuple[str, ...]] = (
    SPEECH_END,
    SPEECH_END_RECEIVED,
    FIRST_AUDIO_RECEIVED,
    FIRST_SAMPLE_OUT,
    FIRST_AUDIBLE_OUT,
)

#: Largest accepted instant (ms, either sign): about 31 years of a monotonic clock.
MAX_INSTANT_MS: Final = 1e12
#: Largest accepted duration in a report (output latency, jitter buffer, clock error), ms.
MAX_REPORT_DURATION_MS: Final = 60_000.0
#: Largest accepted position in a connection's input (ms of audio): about 11.6 days.
MAX_INPUT_POSITION_MS: Final = 1e9
#: Largest accepted underrun count.
MAX_UNDERRUNS: Final = 1_000_000_000
#: Stretches an :class:`Arrivals` remembers by default (at 20 ms pieces, ~80 s).
ARRIVALS_KEPT: Final = 4096


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
        """JSON-ready, rounded to 0.001 ms (no ``-0.0``)."""
        return {
            "total_ms": _ms(self.total_ms),
            "parts_ms": {k: None if v is None else _ms(v) for k, v in self.parts_ms.items()},
            "residual_ms": _ms(self.residual_ms),
            "missing": list(self.missing),
            "negative_parts": list(self.negative_parts),
        }


def _ms(value: float) -> float:
    return round(value, 3) + 0.0  # + 0.0 turns a rounded -0.0 into 0.0


def decompose_parts(total_ms: float, parts_ms: Mapping[str, float | None]) -> VoiceToVoice:
    """A total and whichever parts are known (as spans), with the rest as the residual.

    For a shell whose parts come from two clocks (an HTTP client: the total on its own
    clock, the model's span on the server's): each span is measured on one clock, and
    what no span covers is the residual.

    Parameters
    ----------
    total_ms : float
        The measured voice-to-voice latency (ms).
    parts_ms : Mapping[str, float or None]
        Known spans by name (names from :data:`PARTS`; absent or None = unknown).

    Returns
    -------
    VoiceToVoice
        ``sum(known parts) + residual_ms == total_ms``.

    Raises
    ------
    ValueError
        An unknown part name, or a non-finite value.
    """
    unknown = sorted(set(parts_ms) - set(PARTS))
    if unknown:
        raise ValueError(f"unknown voice-to-voice parts {unknown}; expected some of {PARTS}")
    values = [total_ms, *(v for v in parts_ms.values() if v is not None)]
    if not all(math.isfinite(v) for v in values):
        raise ValueError(f"voice-to-voice figures must be finite, got {values}")
    parts = {name: parts_ms.get(name) for name in PARTS}
    known = sum(v for v in parts.values() if v is not None)
    return VoiceToVoice(
        total_ms=total_ms,
        parts_ms=parts,
        residual_ms=total_ms - known,
        missing=tuple(k for k, v in parts.items() if v is None),
        negative_parts=tuple(k for k, v in parts.items() if v is not None and v < 0),
    )


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
    return decompose_parts(marks.reply_audible_ms - marks.speech_end_ms, parts)


def marks_from_timeline(
    marks_ms: Mapping[str, float],
    *,
    speech_end_ms: float | None = None,
    reply_audible_ms: float | None = None,
    input_end_received_ms: float | None = None,
    first_audio_received_ms: float | None = None,
) -> VoiceToVoiceMarks | None:
    """Voice-to-voice marks from a relay turn's stage marks.

    The audio instants are the timeline's own :data:`AUDIO_STAGES` unless given here.

    Parameters
    ----------
    marks_ms : Mapping[str, float]
        A :class:`~workbench.relay.timeline.TurnTimeline`'s ``marks_ms`` (ms).
    speech_end_ms, reply_audible_ms : float, optional
        The audio-measured instants, on the timeline's clock (ms).
    input_end_received_ms : float, optional
        When the relay received the input holding the end of speech (ms).
    first_audio_received_ms : float, optional
        When the client got the first reply audio. An in-process shell (CLI, notebook)
        has no network in between and passes the relay's ``first_audio_out``.

    Returns
    -------
    VoiceToVoiceMarks or None
        None while either audio instant is unknown.
    """
    speech_end = speech_end_ms if speech_end_ms is not None else marks_ms.get(SPEECH_END)
    audible = reply_audible_ms if reply_audible_ms is not None else marks_ms.get(FIRST_AUDIBLE_OUT)
    if speech_end is None or audible is None:
        return None
    if input_end_received_ms is None:
        input_end_received_ms = marks_ms.get(SPEECH_END_RECEIVED)
    if first_audio_received_ms is None:
        first_audio_received_ms = marks_ms.get(FIRST_AUDIO_RECEIVED)
    return VoiceToVoiceMarks(
        speech_end_ms=speech_end,
        reply_audible_ms=audible,
        input_end_received_ms=input_end_received_ms,
        turn_end_ms=marks_ms.get("speech_stopped", marks_ms.get("commit")),
        first_audio_delta_ms=marks_ms.get("first_audio_delta"),
        first_audio_received_ms=first_audio_received_ms,
    )


def _check(name: str, value: float | None, lo: float, hi: float) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {type(value).__name__}")
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(f"{name} must be a finite number in [{lo:g}, {hi:g}], got {value!r}")


@dataclass(frozen=True, slots=True)
class TurnAudioReport:
    """What a client measured on the audio of one turn (instants on the relay's clock, ms).

    Every field but ``response_id`` is optional: a client reports what it measured.

    Attributes
    ----------
    response_id : str
        The reply this report is about.
    speech_end_ms : float, optional
        End of the user's speech in the captured input signal.
    speech_end_input_ms : float, optional
        Where that end is in the input this client sent in the session (ms of audio
        since its first input); lets the relay find when it received it (uplink).
    first_audio_received_ms : float, optional
        The client received the reply's first audio.
    first_sample_ms : float, optional
        The reply's first sample was heard: at the speaker, after the jitter buffer and
        the device's output latency.
    first_audible_ms : float, optional
        The reply's first audible sample was heard (leading silence counts).
    output_latency_ms : float
        The device's output latency included in those two instants (ms, >= 0; 0 for a
        file): what of the buffering the device took.
    jitter_buffer_ms : float, optional
        The jitter buffer's target when the reply started (ms).
    underruns : int, optional
        Playback underruns while the reply played.
    clock_uncertainty_ms : float, optional
        Bound on the error of the client's conversion to the relay's clock (ms; half
        the round trip of its best clock ping).

    Raises
    ------
    ValueError
        A value out of range or not finite (the message names the field).
    """

    response_id: str
    speech_end_ms: float | None = None
    speech_end_input_ms: float | None = None
    first_audio_received_ms: float | None = None
    first_sample_ms: float | None = None
    first_audible_ms: float | None = None
    output_latency_ms: float = 0.0
    jitter_buffer_ms: float | None = None
    underruns: int | None = None
    clock_uncertainty_ms: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.response_id, str) or not 0 < len(self.response_id) <= 128:
            raise ValueError("response_id must be a string of 1 to 128 characters")
        for name in (
            "speech_end_ms",
            "first_audio_received_ms",
            "first_sample_ms",
            "first_audible_ms",
        ):
            _check(name, getattr(self, name), -MAX_INSTANT_MS, MAX_INSTANT_MS)
        _check("speech_end_input_ms", self.speech_end_input_ms, 0.0, MAX_INPUT_POSITION_MS)
        for name in ("output_latency_ms", "jitter_buffer_ms", "clock_uncertainty_ms"):
            _check(name, getattr(self, name), 0.0, MAX_REPORT_DURATION_MS)
        if self.output_latency_ms is None:
            raise ValueError("output_latency_ms must be a number (0 for a file)")
        if self.underruns is not None and (
            isinstance(self.underruns, bool)
            or not isinstance(self.underruns, int)
            or not 0 <= self.underruns <= MAX_UNDERRUNS
        ):
            raise ValueError(f"underruns must be an integer in [0, {MAX_UNDERRUNS}]")

    def figures(self) -> dict[str, float | int]:
        """The report's figures that are not instants (JSON-ready, unknown ones left out)."""
        out: dict[str, float | int] = {"output_latency_ms": round(self.output_latency_ms, 3)}
        for name in ("jitter_buffer_ms", "clock_uncertainty_ms"):
            value = getattr(self, name)
            if value is not None:
                out[name] = round(value, 3)
        if self.underruns is not None:
            out["underruns"] = self.underruns
        return out


class Arrivals:
    """When each stretch of a stream arrived somewhere, to look a position up (bounded).

    A stream (input audio at the relay, an upload leaving a client, a reply reaching
    it) arrives in pieces; ``received(size, now)`` notes each. ``arrival_ms(position)``
    is when the piece holding ``position`` arrived: the instant a given sample (the end
    of speech, the first audible sample) got there. Positions are in any unit the caller
    counts in (ms of audio, bytes), from the stream's start.

    Parameters
    ----------
    max_entries : int
        Pieces remembered; older ones are forgotten (looked up as unknown, not guessed).
    """

    def __init__(self, max_entries: int = ARRIVALS_KEPT) -> None:
        self.position = 0.0
        self._ends: deque[float] = deque(maxlen=max_entries)
        self._times: deque[float] = deque(maxlen=max_entries)
        self._forgotten_until = 0.0

    def received(self, size: float, now_ms: float) -> None:
        """``size`` more of the stream arrived at ``now_ms`` (ms)."""
        if len(self._ends) == self._ends.maxlen:
            self._forgotten_until = self._ends[0]
        self.position += size
        self._ends.append(self.position)
        self._times.append(now_ms)

    def arrival_ms(self, position: float) -> float | None:
        """When the piece holding ``position`` arrived (ms; None: not yet, or forgotten).

        Position 0 is the stream's first unit, in the first piece.
        """
        ends = self._ends
        if not ends or position >= ends[-1] or position < self._forgotten_until:
            return None
        return self._times[bisect.bisect_right(ends, position)]
