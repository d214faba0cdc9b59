"""Server events -> wire dicts, both dialects (used through ``workbench.protocol.dialects``).

The encoder writes exactly the keys the strict reference
(:mod:`workbench.protocol.reference_schema`) requires: a full ``response`` object in
``response.created`` / ``response.done`` (preview: ``modalities``, ``voice``,
``output_audio_format``, ``temperature``, ``conversation_id`` …; GA:
``output_modalities``, ``audio.output`` …), a full ``session`` object, nullable keys as
``null``. ``event_id`` is written when set (the mock always sets it). Decoding lives
in :mod:`workbench.protocol.server_decode` (re-exported here).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from workbench.protocol import events as pe
from workbench.protocol.events import (
    ConversationItemCreated,
    ConversationItemDone,
    ConversationItemTruncated,
    ErrorEvent,
    ErrorInfo,
    InputAudioBufferCleared,
    InputAudioBufferCommitted,
    InputAudioBufferSpeechStarted,
    InputAudioBufferSpeechStopped,
    InputAudioTranscriptionCompleted,
    InputAudioTranscriptionFailed,
    RateLimitsUpdated,
    ResponseAudioDelta,
    ResponseAudioDone,
    ResponseAudioTranscriptDelta,
    ResponseAudioTranscriptDone,
    ResponseContentPartAdded,
    ResponseContentPartDone,
    ResponseCreated,
    ResponseDone,
    ResponseOutputItemAdded,
    ResponseOutputItemDone,
    ResponseTextDelta,
    ResponseTextDone,
    ServerEvent,
    SessionCreated,
    SessionUpdated,
    UnknownServerEvent,
)
from workbench.protocol.json_codec import (
    Dialect,
    FieldReader,
    b64encode_audio,
    item_to_preview,
)
from workbench.protocol.server_decode import decode_server_event as decode_server_event
from workbench.protocol.session_codec import session_to_wire
from workbench.protocol.session_parts import format_to_wire, modalities_to_wire

_Decoder = Callable[[FieldReader, str | None], ServerEvent]

# Neutral event class -> (GA name, preview name).
SERVER_EVENT_NAMES: dict[type, tuple[str, str]] = {
    SessionCreated: ("session.created", "session.created"),
    pe.ConversationCreated: ("conversation.created", "conversation.created"),
    pe.InputAudioTranscriptionDelta: (
        "conversation.item.input_audio_transcription.delta",
        "conversation.item.input_audio_transcription.delta",
    ),
    pe.ResponseFunctionCallArgumentsDelta: ("response.function_call_arguments.delta",) * 2,
    pe.ResponseFunctionCallArgumentsDone: ("response.function_call_arguments.done",) * 2,
    SessionUpdated: ("session.updated", "session.updated"),
    InputAudioBufferCommitted: ("input_audio_buffer.committed",) * 2,
    InputAudioBufferCleared: ("input_audio_buffer.cleared",) * 2,
    InputAudioBufferSpeechStarted: ("input_audio_buffer.speech_started",) * 2,
    InputAudioBufferSpeechStopped: ("input_audio_buffer.speech_stopped",) * 2,
    ConversationItemCreated: ("conversation.item.added", "conversation.item.created"),
    ConversationItemDone: ("conversation.item.done", "conversation.item.done"),
    ConversationItemTruncated: ("conversation.item.truncated",) * 2,
    InputAudioTranscriptionCompleted: ("conversation.item.input_audio_transcription.completed",)
    * 2,
    InputAudioTranscriptionFailed: ("conversation.item.input_audio_transcription.failed",) * 2,
    ResponseCreated: ("response.created", "response.created"),
    ResponseDone: ("response.done", "response.done"),
    ResponseOutputItemAdded: ("response.output_item.added",) * 2,
    ResponseOutputItemDone: ("response.output_item.done",) * 2,
    ResponseContentPartAdded: ("response.content_part.added",) * 2,
    ResponseContentPartDone: ("response.content_part.done",) * 2,
    ResponseAudioDelta: ("response.output_audio.delta", "response.audio.delta"),
    ResponseAudioDone: ("response.output_audio.done", "response.audio.done"),
    ResponseAudioTranscriptDelta: (
        "response.output_audio_transcript.delta",
        "response.audio_transcript.delta",
    ),
    ResponseAudioTranscriptDone: (
        "response.output_audio_transcript.done",
        "response.audio_transcript.done",
    ),
    ResponseTextDelta: ("response.output_text.delta", "response.text.delta"),
    ResponseTextDone: ("response.output_text.done", "response.text.done"),
    RateLimitsUpdated: ("rate_limits.updated", "rate_limits.updated"),
    ErrorEvent: ("error", "error"),
}


def error_to_wire(error: ErrorInfo) -> dict[str, Any]:
    """The ``error`` object of an error event (all five keys, nulls included)."""
    return {
        "type": error.type,
        "code": error.code,
        "message": error.message,
        "param": error.param,
        "event_id": error.event_id,
    }


def _response_object(
    response_id: str,
    status: str,
    dialect: Dialect,
    settings: pe.ResponseSettings,
    status_details: Mapping[str, Any] | None = None,
    output: tuple[Mapping[str, Any], ...] = (),
    usage: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "object": "realtime.response",
        "id": response_id,
        "status": status,
        "status_details": None if status_details is None else dict(status_details),
        "output": [_item_out(item, dialect) for item in output],
        "conversation_id": settings.conversation_id,
    }
    modalities = modalities_to_wire(settings.output_modalities, dialect)
    if dialect is Dialect.GA:
        out["output_modalities"] = modalities
        out["max_output_tokens"] = settings.max_output_tokens
        out["audio"] = {
            "output": {
                "format": format_to_wire(settings.output_audio_format, dialect),
                "voice": settings.voice,
            }
        }
    else:
        out["modalities"] = modalities
        out["voice"] = settings.voice
        out["output_audio_format"] = settings.output_audio_format
        out["temperature"] = settings.temperature
        out["max_output_tokens"] = settings.max_output_tokens
    out["usage"] = None if usage is None else dict(usage)
    out["metadata"] = None
    return out


def _item_out(item: Mapping[str, Any], dialect: Dialect) -> dict[str, Any]:
    return item_to_preview(item) if dialect is Dialect.PREVIEW else dict(item)


def _fields(event: ServerEvent, dialect: Dialect) -> dict[str, Any]:
    match event:
        case SessionCreated() | SessionUpdated():
            session = session_to_wire(event.session, dialect, event.session_id, event.expires_at)
            return {"session": session}
        case pe.ConversationCreated():
            return {
                "conversation": {"id": event.conversation_id, "object": "realtime.conversation"}
            }
        case pe.InputAudioTranscriptionDelta():
            return {
                "item_id": event.item_id,
                "content_index": event.content_index,
                "delta": event.delta,
            }
        case pe.ResponseFunctionCallArgumentsDelta() | pe.ResponseFunctionCallArgumentsDone():
            out: dict[str, Any] = {
                "response_id": event.response_id,
                "item_id": event.item_id,
                "output_index": event.output_index,
                "call_id": event.call_id,
            }
            if isinstance(event, pe.ResponseFunctionCallArgumentsDelta):
                out["delta"] = event.delta
            else:
                out["name"] = event.name
                out["arguments"] = event.arguments
            return out
        case InputAudioBufferCommitted():
            return {"previous_item_id": event.previous_item_id, "item_id": event.item_id}
        case InputAudioBufferCleared():
            return {}
        case InputAudioBufferSpeechStarted():
            return {"audio_start_ms": event.audio_start_ms, "item_id": event.item_id}
        case InputAudioBufferSpeechStopped():
            return {"audio_end_ms": event.audio_end_ms, "item_id": event.item_id}
        case ConversationItemCreated() | ConversationItemDone():
            return {
                "previous_item_id": event.previous_item_id,
                "item": _item_out(event.item, dialect),
            }
        case ConversationItemTruncated():
            return {
                "item_id": event.item_id,
                "content_index": event.content_index,
                "audio_end_ms": event.audio_end_ms,
            }
        case InputAudioTranscriptionCompleted():
            out = {
                "item_id": event.item_id,
                "content_index": event.content_index,
                "transcript": event.transcript,
            }
            if event.usage is not None:
                out["usage"] = dict(event.usage)
            return out
        case InputAudioTranscriptionFailed():
            return {
                "item_id": event.item_id,
                "content_index": event.content_index,
                # Unlike an error event's, this error object has no event_id.
                "error": {k: v for k, v in error_to_wire(event.error).items() if k != "event_id"},
            }
        case ResponseCreated():
            response = _response_object(event.response_id, "in_progress", dialect, event.settings)
            return {"response": response}
        case ResponseDone():
            response = _response_object(
                event.response_id,
                event.status,
                dialect,
                event.settings,
                event.status_details,
                event.output,
                event.usage,
            )
            return {"response": response}
        case ResponseOutputItemAdded() | ResponseOutputItemDone():
            return {
                "response_id": event.response_id,
                "output_index": event.output_index,
                "item": _item_out(event.item, dialect),
            }
        case RateLimitsUpdated():
            return {"rate_limits": [dict(limit) for limit in event.rate_limits]}
        case ErrorEvent():
            return {"error": error_to_wire(event.error)}
        case UnknownServerEvent():
            return dict(event.payload)
    # The content-addressed events: response_id, item_id, output_index, content_index.
    out = {
        "response_id": event.response_id,
        "item_id": event.item_id,
        "output_index": event.output_index,
        "content_index": event.content_index,
    }
    match event:
        case ResponseContentPartAdded() | ResponseContentPartDone():
            out["part"] = dict(event.part)
        case ResponseAudioDelta():
            out["delta"] = b64encode_audio(event.delta)
        case ResponseAudioTranscriptDelta() | ResponseTextDelta():
            out["delta"] = event.delta
        case ResponseAudioTranscriptDone():
            out["transcript"] = event.transcript
        case ResponseTextDone():
            out["text"] = event.text
    return out


def encode_server_event(event: ServerEvent, dialect: Dialect) -> dict[str, Any]:
    """Encode a server event as a JSON-ready dict in ``dialect``.

    Parameters
    ----------
    event : ServerEvent
        The event. ``ConversationItemDone`` has no preview equivalent and is written
        as ``conversation.item.done`` in both dialects.
    dialect : Dialect
        ``Dialect.GA`` (``response.output_audio.delta``, ``conversation.item.added``…)
        or ``Dialect.PREVIEW`` (``response.audio.delta``, ``conversation.item.created``…).

    Returns
    -------
    dict[str, Any]
        JSON-ready dict that validates against the SDK's server event models.
    """
    if isinstance(event, UnknownServerEvent):
        event_type = event.type
    else:
        ga_name, preview_name = SERVER_EVENT_NAMES[type(event)]
        event_type = ga_name if dialect is Dialect.GA else preview_name
    out: dict[str, Any] = {"type": event_type}
    if event.event_id is not None:
        out["event_id"] = event.event_id
    out.update(_fields(event, dialect))
    return out
