"""Server events <-> wire dicts, both dialects (used through ``workbench.protocol.dialects``).

The encoder writes what the SDK's pydantic models require (a full ``response`` object
in ``response.created`` / ``response.done``, a ``session`` object with ``id`` and
``object``); fields the neutral event does not carry are written as the service would
for a fresh object (``output: []``, ``usage: null`` …). ``event_id`` is written when
set (the mock always sets it; the SDK's models require it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

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
    as_mapping,
    b64encode_audio,
    event_type_of,
    item_from_wire,
    item_to_preview,
)
from workbench.protocol.session_codec import session_from_wire, session_to_wire

_Decoder = Callable[[FieldReader, str | None], ServerEvent]

# Neutral event class -> (GA name, preview name).
SERVER_EVENT_NAMES: dict[type, tuple[str, str]] = {
    SessionCreated: ("session.created", "session.created"),
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
    status_details: Mapping[str, Any] | None = None,
    output: tuple[Mapping[str, Any], ...] = (),
    usage: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "object": "realtime.response",
        "id": response_id,
        "status": status,
        "status_details": None if status_details is None else dict(status_details),
        "output": [_item_out(item, dialect) for item in output],
        "usage": None if usage is None else dict(usage),
    }


def _item_out(item: Mapping[str, Any], dialect: Dialect) -> dict[str, Any]:
    return item_to_preview(item) if dialect is Dialect.PREVIEW else dict(item)


def _fields(event: ServerEvent, dialect: Dialect) -> dict[str, Any]:
    match event:
        case SessionCreated() | SessionUpdated():
            return {"session": session_to_wire(event.session, dialect, event.session_id)}
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
            out: dict[str, Any] = {
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
                "error": error_to_wire(event.error),
            }
        case ResponseCreated():
            return {"response": _response_object(event.response_id, "in_progress", dialect)}
        case ResponseDone():
            response = _response_object(
                event.response_id,
                event.status,
                dialect,
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


def decode_server_event(data: str | bytes | Mapping[str, Any]) -> ServerEvent:
    """Decode a server event of either dialect (GA and preview names both accepted).

    Parameters
    ----------
    data : str, bytes or Mapping
        A JSON text frame or an already parsed object.

    Returns
    -------
    ServerEvent
        The typed event; an unknown ``type`` gives :class:`UnknownServerEvent`.

    Raises
    ------
    ProtocolError
        Malformed JSON, not an object, no ``type``, or a field of the wrong type
        (e.g. ``audio_end_ms`` a string, ``delta`` not base64).
    """
    mapping = as_mapping(data)
    event_type = event_type_of(mapping)
    r = FieldReader(mapping, event_type)
    event_id = r.opt_str("event_id")
    decoder = _SERVER_DECODERS.get(event_type)
    if decoder is None:
        payload = {k: v for k, v in mapping.items() if k not in ("type", "event_id")}
        return UnknownServerEvent(type=event_type, payload=payload, event_id=event_id)
    return decoder(r, event_id)


def _error(r: FieldReader) -> ErrorInfo:
    return ErrorInfo(
        type=r.opt_str("type") or "",
        message=r.opt_str("message") or "",
        code=r.opt_str("code"),
        param=r.opt_str("param"),
        event_id=r.opt_str("event_id"),
    )


def _sub(r: FieldReader, key: str) -> FieldReader:
    sub = r.sub(key)
    if sub is None:
        raise r.fail(key, "an object", r.raw(key))
    return sub


def _session(cls: type[SessionCreated] | type[SessionUpdated]) -> _Decoder:
    def decode(r: FieldReader, event_id: str | None) -> ServerEvent:
        session = _sub(r, "session")
        settings = session_from_wire(session)
        return cls(session=settings, session_id=session.opt_str("id") or "", event_id=event_id)

    return decode


def _item_event(cls: type[ConversationItemCreated] | type[ConversationItemDone]) -> _Decoder:
    def decode(r: FieldReader, event_id: str | None) -> ServerEvent:
        item = item_from_wire(r.mapping("item"))
        return cls(item=item, previous_item_id=r.opt_str("previous_item_id"), event_id=event_id)

    return decode


def _output_item(cls: type[ResponseOutputItemAdded] | type[ResponseOutputItemDone]) -> _Decoder:
    def decode(r: FieldReader, event_id: str | None) -> ServerEvent:
        return cls(
            response_id=r.str_("response_id"),
            output_index=r.int_("output_index"),
            item=item_from_wire(r.mapping("item")),
            event_id=event_id,
        )

    return decode


def _content(cls: type[Any], extra: str | None, reader: str = "str_") -> _Decoder:
    """Decoder of a content-addressed event with one extra field read by ``reader``."""

    def decode(r: FieldReader, event_id: str | None) -> ServerEvent:
        kwargs: dict[str, Any] = {
            "response_id": r.str_("response_id"),
            "item_id": r.str_("item_id"),
            "output_index": r.int_("output_index"),
            "content_index": r.int_("content_index"),
        }
        if extra is not None:
            kwargs[extra] = getattr(r, reader)(extra)
        event: ServerEvent = cls(**kwargs, event_id=event_id)
        return event

    return decode


def _response_done(r: FieldReader, event_id: str | None) -> ServerEvent:
    resp = _sub(r, "response")
    output = resp.list_of_mappings("output") if resp.raw("output") is not None else ()
    return ResponseDone(
        response_id=resp.str_("id"),
        status=resp.str_("status"),
        status_details=resp.opt_mapping("status_details"),
        output=tuple(item_from_wire(item) for item in output),
        usage=resp.opt_mapping("usage"),
        event_id=event_id,
    )


_SERVER_DECODERS: dict[str, _Decoder] = {
    "session.created": _session(SessionCreated),
    "session.updated": _session(SessionUpdated),
    "input_audio_buffer.committed": lambda r, e: InputAudioBufferCommitted(
        item_id=r.str_("item_id"), previous_item_id=r.opt_str("previous_item_id"), event_id=e
    ),
    "input_audio_buffer.cleared": lambda r, e: InputAudioBufferCleared(event_id=e),
    "input_audio_buffer.speech_started": lambda r, e: InputAudioBufferSpeechStarted(
        audio_start_ms=r.int_("audio_start_ms"), item_id=r.str_("item_id"), event_id=e
    ),
    "input_audio_buffer.speech_stopped": lambda r, e: InputAudioBufferSpeechStopped(
        audio_end_ms=r.int_("audio_end_ms"), item_id=r.str_("item_id"), event_id=e
    ),
    "conversation.item.added": _item_event(ConversationItemCreated),
    "conversation.item.created": _item_event(ConversationItemCreated),
    "conversation.item.done": _item_event(ConversationItemDone),
    "conversation.item.truncated": lambda r, e: ConversationItemTruncated(
        item_id=r.str_("item_id"),
        content_index=r.int_("content_index"),
        audio_end_ms=r.int_("audio_end_ms"),
        event_id=e,
    ),
    "conversation.item.input_audio_transcription.completed": lambda r, e: (
        InputAudioTranscriptionCompleted(
            item_id=r.str_("item_id"),
            content_index=r.int_("content_index"),
            transcript=r.str_("transcript"),
            usage=r.opt_mapping("usage"),
            event_id=e,
        )
    ),
    "conversation.item.input_audio_transcription.failed": lambda r, e: (
        InputAudioTranscriptionFailed(
            item_id=r.str_("item_id"),
            content_index=r.int_("content_index"),
            error=_error(_sub(r, "error")),
            event_id=e,
        )
    ),
    "response.created": lambda r, e: ResponseCreated(
        response_id=_sub(r, "response").str_("id"), event_id=e
    ),
    "response.done": _response_done,
    "response.output_item.added": _output_item(ResponseOutputItemAdded),
    "response.output_item.done": _output_item(ResponseOutputItemDone),
    "response.content_part.added": _content(ResponseContentPartAdded, "part", "mapping"),
    "response.content_part.done": _content(ResponseContentPartDone, "part", "mapping"),
    "rate_limits.updated": lambda r, e: RateLimitsUpdated(
        rate_limits=r.list_of_mappings("rate_limits"), event_id=e
    ),
    "error": lambda r, e: ErrorEvent(error=_error(_sub(r, "error")), event_id=e),
}
for _ga, _preview, _cls, _extra, _how in (
    ("response.output_audio.delta", "response.audio.delta", ResponseAudioDelta, "delta", "audio"),
    ("response.output_audio.done", "response.audio.done", ResponseAudioDone, None, "str_"),
    (
        "response.output_audio_transcript.delta",
        "response.audio_transcript.delta",
        ResponseAudioTranscriptDelta,
        "delta",
        "str_",
    ),
    (
        "response.output_audio_transcript.done",
        "response.audio_transcript.done",
        ResponseAudioTranscriptDone,
        "transcript",
        "str_",
    ),
    ("response.output_text.delta", "response.text.delta", ResponseTextDelta, "delta", "str_"),
    ("response.output_text.done", "response.text.done", ResponseTextDone, "text", "str_"),
):
    _SERVER_DECODERS[_ga] = _SERVER_DECODERS[_preview] = _content(_cls, _extra, _how)
