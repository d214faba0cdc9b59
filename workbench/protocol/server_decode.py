"""Server wire dicts -> neutral events, both dialects (GA and preview names accepted).

Used through :func:`workbench.protocol.server_codec.decode_server_event`. Decoding is
lenient about shape (it reads what the workbench needs); strictness against the
reference is :mod:`workbench.protocol.strict_validator`'s job.
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
from workbench.protocol.json_codec import FieldReader, as_mapping, event_type_of, item_from_wire
from workbench.protocol.session_codec import session_from_wire

_Decoder = Callable[[FieldReader, str | None], ServerEvent]


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
        expires = session.raw("expires_at")
        return cls(
            session=settings,
            session_id=session.opt_str("id") or "",
            expires_at=session.int_("expires_at") if expires is not None else None,
            event_id=event_id,
        )

    return decode


def _response_settings(resp: FieldReader) -> pe.ResponseSettings:
    """What a ``response`` object says about how it answers (either dialect)."""
    defaults = pe.ResponseSettings()
    audio = resp.sub("audio")
    out = audio.sub("output") if audio is not None else None
    modalities = resp.opt_str_tuple("output_modalities") or resp.opt_str_tuple("modalities")
    if modalities is not None and "audio" in modalities:
        modalities = ("audio",)
    voice = (out.opt_str("voice") if out is not None else None) or resp.opt_str("voice")
    fmt: str | None = resp.opt_str("output_audio_format")
    ga_format = out.sub("format") if out is not None else None
    if ga_format is not None:
        fmt = {"audio/pcmu": "g711_ulaw", "audio/pcma": "g711_alaw"}.get(
            ga_format.opt_str("type") or "", "pcm16"
        )
    temperature = resp.opt_float("temperature")
    max_tokens = resp.raw("max_output_tokens")
    return pe.ResponseSettings(
        output_modalities=modalities or defaults.output_modalities,
        voice=voice or defaults.voice,
        output_audio_format=fmt if fmt in ("pcm16", "g711_ulaw", "g711_alaw") else "pcm16",  # type: ignore[arg-type]
        temperature=defaults.temperature if temperature is None else temperature,
        max_output_tokens=max_tokens if isinstance(max_tokens, int | str) else "inf",
        conversation_id=resp.opt_str("conversation_id"),
    )


def _response_created(r: FieldReader, event_id: str | None) -> ServerEvent:
    resp = _sub(r, "response")
    return ResponseCreated(
        response_id=resp.str_("id"), settings=_response_settings(resp), event_id=event_id
    )


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
        settings=_response_settings(resp),
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
    "conversation.created": lambda r, e: pe.ConversationCreated(
        conversation_id=_sub(r, "conversation").str_("id"), event_id=e
    ),
    "conversation.item.input_audio_transcription.delta": lambda r, e: (
        pe.InputAudioTranscriptionDelta(
            item_id=r.str_("item_id"),
            content_index=r.opt_int("content_index", 0),
            delta=r.opt_str("delta") or "",
            event_id=e,
        )
    ),
    "response.function_call_arguments.delta": lambda r, e: pe.ResponseFunctionCallArgumentsDelta(
        response_id=r.str_("response_id"),
        item_id=r.str_("item_id"),
        output_index=r.int_("output_index"),
        call_id=r.str_("call_id"),
        delta=r.str_("delta"),
        event_id=e,
    ),
    "response.function_call_arguments.done": lambda r, e: pe.ResponseFunctionCallArgumentsDone(
        response_id=r.str_("response_id"),
        item_id=r.str_("item_id"),
        output_index=r.int_("output_index"),
        call_id=r.str_("call_id"),
        name=r.opt_str("name") or "",
        arguments=r.str_("arguments"),
        event_id=e,
    ),
    "conversation.item.input_audio_transcription.failed": lambda r, e: (
        InputAudioTranscriptionFailed(
            item_id=r.str_("item_id"),
            content_index=r.int_("content_index"),
            error=_error(_sub(r, "error")),
            event_id=e,
        )
    ),
    "response.created": _response_created,
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
