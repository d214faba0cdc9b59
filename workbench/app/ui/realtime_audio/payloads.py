"""What the realtime audio component's browser side reports to Python, as typed records.

The component's frontend (``frontend/realtime_audio/``, on the shared
``workbench/app/browser/static/realtime-client.js``) dispatches Gradio events with JSON
payloads; these classes parse them. Payloads come from a browser, so they are untrusted:
every field is type- and size-checked and a bad payload raises :class:`PayloadError`
naming the field, never a ``KeyError`` deep inside a handler. Pure: no Gradio, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from workbench.app.ui.payload_fields import PayloadError
from workbench.app.ui.payload_fields import read_choice as _choice
from workbench.app.ui.payload_fields import read_count as _count
from workbench.app.ui.payload_fields import read_flag as _flag
from workbench.app.ui.payload_fields import read_mapping as _mapping
from workbench.app.ui.payload_fields import read_number as _number
from workbench.app.ui.payload_fields import read_text as _text

MAX_ID_CHARS: Final = 256
MAX_CODE_CHARS: Final = 128
MAX_MESSAGE_CHARS: Final = 16_384
MAX_TEXT_CHARS: Final = 100_000
MAX_STAGES: Final = 64
#: Turns and transcript entries kept in the component's value (the newest ones).
MAX_LOG_TURNS: Final = 100
MAX_LOG_ENTRIES: Final = 200

Role = Literal["user", "assistant"]
TurnStatus = Literal["completed", "cancelled", "failed", "incomplete"]

__all__ = ["PayloadError"]  # re-exported: handlers catch it from here


# --- records --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionStart:
    """The WebSocket session is live (the server's ``session`` message plus audio facts).

    Attributes
    ----------
    session_id : str
        The id of ``GET /sessions/{id}``.
    backend, description, dialect : str
        What answers (e.g. ``"mock"``, ``"built-in mock model (…)"``, ``"ga"``).
    is_mock : bool
        True when no real model is behind the session.
    context_rate_hz : float
        The browser AudioContext's sample rate (Hz): the rate the microphone is sent at.
    output_latency_ms : float
        The AudioContext's reported output latency (ms), part of every mic→speaker figure.
    """

    session_id: str
    backend: str
    description: str
    dialect: str
    is_mock: bool
    context_rate_hz: float
    output_latency_ms: float

    @classmethod
    def from_payload(cls, data: object) -> SessionStart:
        """Parse the ``session_start`` event payload (raises :class:`PayloadError`)."""
        d = _mapping(data, "session_start payload")
        return cls(
            session_id=_text(d, "session_id", MAX_ID_CHARS),
            backend=_text(d, "backend", MAX_ID_CHARS),
            description=_text(d, "description", MAX_MESSAGE_CHARS),
            dialect=_text(d, "dialect", MAX_ID_CHARS),
            is_mock=_flag(d, "is_mock"),
            context_rate_hz=_number(d, "context_rate_hz", optional=False) or 0.0,
            output_latency_ms=_number(d, "output_latency_ms") or 0.0,
        )


@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    """One finished transcript item (``role`` ``user`` or ``assistant``)."""

    role: Role
    item_id: str
    text: str

    @classmethod
    def from_payload(cls, data: object) -> TranscriptEntry:
        """Parse a ``transcript`` event payload (raises :class:`PayloadError`)."""
        d = _mapping(data, "transcript payload")
        return cls(
            role=_choice(d, "role", ("user", "assistant")),
            item_id=_text(d, "item_id", MAX_ID_CHARS),
            text=_text(d, "text", MAX_TEXT_CHARS),
        )


@dataclass(frozen=True, slots=True)
class ServerTimeline:
    """The relay's timeline of one turn (``TurnTimeline.to_dict()``, all in ms).

    ``stages_ms`` maps stage name → ms since the turn's first mark (see
    ``workbench.relay.timeline.STAGES``); the derived spans are None when not measured.
    """

    turn_index: int | None
    stages_ms: Mapping[str, float]
    ttfa_ms: float | None
    model_ttfb_ms: float | None
    relay_overhead_ms: float | None
    playout_delay_ms: float | None

    @classmethod
    def from_payload(cls, data: object) -> ServerTimeline:
        """Parse a ``timeline`` object (raises :class:`PayloadError`)."""
        d = _mapping(data, "timeline")
        stages = _mapping(d.get("stages_ms", {}), "timeline.stages_ms")
        if len(stages) > MAX_STAGES:
            raise PayloadError(f"timeline.stages_ms has {len(stages)} stages, at most {MAX_STAGES}")
        parsed = {}
        for name in stages:
            if not isinstance(name, str) or len(name) > MAX_ID_CHARS:
                raise PayloadError("timeline.stages_ms keys must be short strings")
            parsed[name] = _number(stages, name, optional=False) or 0.0
        index = _number(d, "turn_index")
        return cls(
            turn_index=None if index is None else int(index),
            stages_ms=parsed,
            ttfa_ms=_number(d, "ttfa_ms"),
            model_ttfb_ms=_number(d, "model_ttfb_ms"),
            relay_overhead_ms=_number(d, "relay_overhead_ms"),
            playout_delay_ms=_number(d, "playout_delay_ms"),
        )


@dataclass(frozen=True, slots=True)
class TurnReport:
    """One turn as the listener heard it, next to the server's timeline of it.

    Attributes
    ----------
    turn_index : int | None
        The server's turn number (the timeline's ``turn_index``).
    status : {"completed", "cancelled", "failed", "incomplete"}
        How the reply ended.
    response_id, item_id : str | None
        The reply's ids (``item_id`` None when no audio came).
    mic_to_speaker_ms : float | None
        Last voiced microphone sample → first reply sample at the speaker (ms), on the
        AudioContext clock, including the jitter buffer and ``output_latency_ms``.
        None when no reply audio played or no voice preceded it.
    mic_to_audible_ms : float | None
        Same, to the first 128-sample block of the reply louder than −40 dBFS (a reply
        may open with near-silence, e.g. the echo mock's VAD prefix padding).
    output_latency_ms, jitter_buffer_ms : float | None
        The AudioContext's output latency and the playback worklet's prebuffer target
        when the reply started (ms).
    underruns : int
        Jitter-buffer underruns (stalls: the reply's audio came too late) while this
        reply played.
    device_underruns : int | None
        The output device's underruns (glitches: the audio thread missed its deadline)
        while it played; None where the browser does not report them.
    user_text, assistant_text : str | None
        The newest final user transcript and this reply's transcript, when known.
    timeline : ServerTimeline
        The relay's stages for the same turn.
    summary : Mapping
        The server's session p50/p90/p99 per stage (``SessionTimeline.summary()``).
    """

    turn_index: int | None
    status: TurnStatus
    response_id: str | None
    item_id: str | None
    mic_to_speaker_ms: float | None
    mic_to_audible_ms: float | None
    output_latency_ms: float | None
    jitter_buffer_ms: float | None
    underruns: int
    device_underruns: int | None
    user_text: str | None
    assistant_text: str | None
    timeline: ServerTimeline
    summary: Mapping[str, Any] = field(default_factory=dict)

    @property
    def number(self) -> int | None:
        """The turn's number for people: 1 for the first turn (``turn_index + 1``)."""
        return None if self.turn_index is None else self.turn_index + 1

    @classmethod
    def from_payload(cls, data: object) -> TurnReport:
        """Parse a ``turn`` event payload (raises :class:`PayloadError`)."""
        d = _mapping(data, "turn payload")
        index = _number(d, "turn_index")
        underruns = _number(d, "underruns") or 0.0
        summary = _mapping(d.get("summary", {}), "summary")
        if len(summary) > MAX_STAGES:
            raise PayloadError(f"summary has {len(summary)} entries, at most {MAX_STAGES}")
        return cls(
            turn_index=None if index is None else int(index),
            status=_choice(d, "status", ("completed", "cancelled", "failed", "incomplete")),
            response_id=_text(d, "response_id", MAX_ID_CHARS, optional=True),
            item_id=_text(d, "item_id", MAX_ID_CHARS, optional=True),
            mic_to_speaker_ms=_number(d, "mic_to_speaker_ms"),
            mic_to_audible_ms=_number(d, "mic_to_audible_ms"),
            output_latency_ms=_number(d, "output_latency_ms"),
            jitter_buffer_ms=_number(d, "jitter_buffer_ms"),
            underruns=max(0, int(underruns)),
            device_underruns=_count(d, "device_underruns"),
            user_text=_text(d, "user_text", MAX_TEXT_CHARS, optional=True),
            assistant_text=_text(d, "assistant_text", MAX_TEXT_CHARS, optional=True),
            timeline=ServerTimeline.from_payload(d.get("timeline", {})),
            summary=dict(summary),
        )


@dataclass(frozen=True, slots=True)
class SessionError:
    """An error, verbatim: the server's ``error`` message or the browser's own.

    ``source`` is ``"server"`` (``code`` as in docs/api.md, e.g. ``bad_settings``) or
    ``"client"`` (``audio_unavailable``, ``connection_closed``, ``bad_url``).
    """

    code: str
    message: str
    retryable: bool
    fatal: bool
    source: Literal["server", "client"]

    @classmethod
    def from_payload(cls, data: object) -> SessionError:
        """Parse a ``session_error`` event payload (raises :class:`PayloadError`)."""
        d = _mapping(data, "session_error payload")
        return cls(
            code=_text(d, "code", MAX_CODE_CHARS),
            message=_text(d, "message", MAX_MESSAGE_CHARS),
            retryable=_flag(d, "retryable"),
            fatal=_flag(d, "fatal"),
            source=_choice(d, "source", ("server", "client")),
        )


@dataclass(frozen=True, slots=True)
class SessionEnd:
    """The session is over.

    ``reason``: the server's end reason (``idle``, ``limit``, ``session_cap``, … as in
    docs/api.md) or the page's own: ``stopped`` (the user pressed Stop), ``closed`` (the
    server closed cleanly), ``error`` (a fatal error; ``message`` says which) or
    ``connection_lost``. ``text`` says it for people (``"idle timeout"``). ``close_code``
    is the WebSocket close code when known.
    """

    reason: str
    close_code: int | None
    message: str | None
    text: str | None = None

    @classmethod
    def from_payload(cls, data: object) -> SessionEnd:
        """Parse a ``session_end`` event payload (raises :class:`PayloadError`)."""
        d = _mapping(data, "session_end payload")
        code = _number(d, "code")
        return cls(
            reason=_text(d, "reason", MAX_CODE_CHARS),
            close_code=None if code is None else int(code),
            message=_text(d, "message", MAX_MESSAGE_CHARS, optional=True),
            text=_text(d, "text", MAX_MESSAGE_CHARS, optional=True),
        )


@dataclass(frozen=True, slots=True)
class RealtimeLog:
    """The component's value: the current (or last) session, newest turns last.

    Bounded: the newest :data:`MAX_LOG_TURNS` turns and :data:`MAX_LOG_ENTRIES`
    transcript entries.
    """

    session_id: str | None
    turns: tuple[TurnReport, ...]
    transcript: tuple[TranscriptEntry, ...]

    @classmethod
    def from_payload(cls, data: object) -> RealtimeLog:
        """Parse the component's value (raises :class:`PayloadError`)."""
        d = _mapping(data, "value")
        turns = d.get("turns", [])
        entries = d.get("transcript", [])
        if not isinstance(turns, list) or len(turns) > MAX_LOG_TURNS:
            raise PayloadError(f"value.turns must be a list of at most {MAX_LOG_TURNS} turns")
        if not isinstance(entries, list) or len(entries) > MAX_LOG_ENTRIES:
            raise PayloadError(
                f"value.transcript must be a list of at most {MAX_LOG_ENTRIES} entries"
            )
        return cls(
            session_id=_text(d, "session_id", MAX_ID_CHARS, optional=True),
            turns=tuple(TurnReport.from_payload(t) for t in turns),
            transcript=tuple(TranscriptEntry.from_payload(e) for e in entries),
        )
