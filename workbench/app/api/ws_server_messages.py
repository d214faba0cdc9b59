"""Relay events as JSON-ready dicts: the server → client half of ``WS /ws/realtime``.

One place decides what a shell sends for each :class:`~workbench.relay.RelayEvent`, so
the WebSocket API and the Gradio duplex page speak exactly the same protocol (see
docs/api.md). Pure: no I/O, no framework.

Assistant audio itself is not JSON: it goes out as binary PCM16 LE mono 24 kHz frames.
:class:`WireEncoder` turns each event into the ordered list of messages to send
(``dict`` for a text frame, ``bytes`` for a binary frame), inserting ``audio_start``
before the first audio of each assistant item and a ``level`` before every reply
frame (input levels come once per 100 ms of input, from the WebSocket handler).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbench.audio import pcm16_levels
from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    ToolCall,
    ToolOutput,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.service.end_reason import EndReason

WireMessage = dict[str, Any] | bytes

#: Each end reason (``workbench.service.EndReason`` values) said for people: the
#: ``text`` of ``session_ended`` and the Gradio status line ("Ended: idle timeout").
END_REASON_TEXT: Mapping[str, str] = {
    EndReason.COMPLETED: "the reply is complete",
    EndReason.STOP: "stopped",
    EndReason.CLIENT_GONE: "the client went away",
    EndReason.IDLE: "idle timeout",
    EndReason.LIMIT: "a server limit was reached",
    EndReason.REJECTED: "the input was refused",
    EndReason.UPSTREAM_ERROR: "the model failed",
    EndReason.SESSION_CAP: "the model's session length cap",
    EndReason.SHUTDOWN: "the server is shutting down",
}


def end_reason_text(reason: str) -> str:
    """An end reason for people (the reason itself when it is not a known one)."""
    return END_REASON_TEXT.get(reason, reason)


def session_ended_message(reason: str) -> dict[str, Any]:
    """``{"type": "session_ended", "reason", "text"}``: the last message of a session."""
    return {"type": "session_ended", "reason": reason, "text": end_reason_text(reason)}


def level_message(pcm16: bytes, source: str) -> dict[str, Any]:
    """``{"type": "level", "rms_dbfs", "peak_dbfs", "source"}`` for one frame.

    ``source`` is ``"input"`` (audio the client sent) or ``"output"`` (assistant audio).
    """
    level = pcm16_levels(pcm16)
    return {
        "type": "level",
        "rms_dbfs": level.rms_dbfs,
        "peak_dbfs": level.peak_dbfs,
        "source": source,
    }


def audio_start_message(event: AudioOut) -> dict[str, Any]:
    """``{"type": "audio_start", "item_id", "response_id", "sample_rate_hz"}``."""
    return {
        "type": "audio_start",
        "item_id": event.item_id,
        "response_id": event.response_id,
        "sample_rate_hz": event.sample_rate_hz,
    }


def clock_pong_message(client_ms: float, server_ms: float) -> dict[str, Any]:
    """``{"type": "clock_pong", "client_ms", "server_ms"}``: the answer to a clock ping.

    ``client_ms`` is the ping's own value back; ``server_ms`` the server's clock (the
    relay's, ms) when the ping arrived. A client that sent at ``t0`` and got this at
    ``t1`` (its clock) maps its instants onto the server's with offset
    ``server_ms - (t0 + t1) / 2``, within ``(t1 - t0) / 2``.
    """
    return {"type": "clock_pong", "client_ms": client_ms, "server_ms": round(server_ms, 3)}


def turn_updated_message(
    response_id: str, timeline: Mapping[str, Any], summary: Mapping[str, Any]
) -> dict[str, Any]:
    """``{"type": "turn_updated", "response_id", "timeline", "summary"}``.

    Sent after a ``turn_report`` was applied: the turn's timeline now carries
    ``voice_to_voice_ms`` and its decomposition (``timeline.voice_to_voice``).
    """
    return {
        "type": "turn_updated",
        "response_id": response_id,
        "timeline": dict(timeline),
        "summary": dict(summary),
    }


def error_message(
    code: str, message: str, *, retryable: bool = False, fatal: bool = False
) -> dict[str, Any]:
    """``{"type": "error", "code", "message", "retryable", "fatal"}``."""
    return {
        "type": "error",
        "code": code,
        "message": message,
        "retryable": retryable,
        "fatal": fatal,
    }


def event_to_dict(
    event: RelayEvent,
    *,
    session_id: str | None = None,
    summary: Mapping[str, Any] | None = None,
    features: Sequence[str] | None = None,
) -> dict[str, Any]:
    """The JSON text message for one relay event.

    Parameters
    ----------
    event : RelayEvent
        Any relay event. ``AudioOut`` maps to its ``audio_start`` header (the samples
        themselves travel as a binary frame; see :class:`WireEncoder`).
    session_id : str | None
        The API's session id, put into the ``session`` message (it is the id of
        ``GET /sessions/{id}``); defaults to the relay's own.
    summary : Mapping | None
        ``SessionTimeline.summary()`` for ``turn_done`` (``{}`` when not given).
    features : Sequence[str] | None
        Put into the ``session`` message as ``features`` (the client message types the
        server accepts) when given.

    Returns
    -------
    dict
        A JSON-serialisable dict with a ``type`` key (see docs/api.md).
    """
    match event:
        case SessionInfo():
            session: dict[str, Any] = {
                "type": "session",
                "backend": event.backend,
                "description": event.description,
                "is_mock": event.is_mock,
                "dialect": event.dialect,
                "session_id": session_id if session_id is not None else event.session_id,
                "reconnected": event.reconnected,
            }
            if features is not None:
                session["features"] = list(features)
            return session
        case AudioOut():
            return audio_start_message(event)
        case TranscriptDelta() | TranscriptFinal():
            return {
                "type": "transcript",
                "role": event.role,
                "item_id": event.item_id,
                "text": event.text,
                "final": isinstance(event, TranscriptFinal),
            }
        case ToolCall():
            return {
                "type": "tool_call",
                "call_id": event.call_id,
                "name": event.name,
                "arguments": event.arguments,
                "item_id": event.item_id,
                "response_id": event.response_id,
            }
        case ToolOutput():
            return {
                "type": "tool_output",
                "call_id": event.call_id,
                "name": event.name,
                "output": event.output,
            }
        case SpeechStarted():
            return {
                "type": "speech_started",
                "audio_start_ms": event.audio_start_ms,
                "item_id": event.item_id,
            }
        case SpeechStopped():
            return {
                "type": "speech_stopped",
                "audio_end_ms": event.audio_end_ms,
                "item_id": event.item_id,
            }
        case Interrupted():
            return {
                "type": "interrupted",
                "item_id": event.item_id,
                "audio_end_ms": event.audio_end_ms,
            }
        case TurnDone():
            return {
                "type": "turn_done",
                "status": event.status,
                "response_id": event.response_id,
                "timeline": event.timeline.to_dict(),
                "summary": dict(summary) if summary is not None else {},
            }
        case RelayError():
            return error_message(
                event.code, event.message, retryable=event.retryable, fatal=event.fatal
            )
        case SessionEnded():
            return session_ended_message(event.reason)
    raise TypeError(f"not a relay event: {event!r}")


class WireEncoder:
    """Stateful encoder for one connection: relay events → ordered wire messages.

    Parameters
    ----------
    session_id : str | None
        Put into every ``session`` message.
    levels : bool
        Send a ``level`` message (``source: "output"``) before each audio frame.
    features : Sequence[str] | None
        Put into every ``session`` message (see :func:`event_to_dict`).
    """

    def __init__(
        self,
        session_id: str | None = None,
        *,
        levels: bool = True,
        features: Sequence[str] | None = None,
    ) -> None:
        self.session_id = session_id
        self.levels = levels
        self.features = tuple(features) if features is not None else None
        self._current_item: str | None = None

    def encode(
        self, event: RelayEvent, summary: Mapping[str, Any] | None = None
    ) -> list[WireMessage]:
        """Messages to send for ``event``, in order (dict = text frame, bytes = binary)."""
        if isinstance(event, AudioOut):
            out: list[WireMessage] = []
            if event.item_id != self._current_item:
                self._current_item = event.item_id
                out.append(audio_start_message(event))
            if self.levels:
                out.append(level_message(event.pcm16, "output"))
            out.append(event.pcm16)
            return out
        if isinstance(event, Interrupted | TurnDone | SessionInfo):
            # A later item (or a resumed one after a reconnect) gets its own header.
            self._current_item = None
        return [
            event_to_dict(
                event, session_id=self.session_id, summary=summary, features=self.features
            )
        ]
