"""SessionSettings <-> the session objects of both dialects.

GA (a server's object; a client's ``session.update`` carries only what is set)::

    {"type": "realtime", "object": "realtime.session", "id": ..., "model": ...,
     "output_modalities": ["audio"], "instructions": ..., "tools": [...],
     "tool_choice": "auto", "max_output_tokens": "inf", "tracing": null, "prompt": null,
     "expires_at": 1756324625, "include": null,
     "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000},
                         "transcription": {"model": ...} | null, "noise_reduction": null,
                         "turn_detection": {...} | null},
               "output": {"format": {...}, "voice": ..., "speed": 1.0}}}

Preview::

    {"object": "realtime.session", "id": ..., "model": ..., "expires_at": ...,
     "modalities": ["text", "audio"], "instructions": ..., "voice": ...,
     "input_audio_format": "pcm16", "output_audio_format": "pcm16",
     "input_audio_transcription": {"model": ...} | null, "turn_detection": {...} | null,
     "tools": [...], "tool_choice": "auto", "temperature": 0.8,
     "max_response_output_tokens": "inf"}

Output modalities: neutral ``("audio",)`` (audio with its transcript) is GA
``["audio"]`` and preview ``["text", "audio"]`` (the preview service accepts only
``["text"]`` or ``["text", "audio"]``); neutral ``("text",)`` is ``["text"]`` in both.
The decoder is lenient about the shape: it reads both layouts.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.errors import ProtocolError
from workbench.protocol.json_codec import Dialect, FieldReader
from workbench.protocol.session_parts import GA_FORMATS as GA_FORMATS
from workbench.protocol.session_parts import (
    format_from_wire,
    format_to_wire,
    max_tokens_from_wire,
    modalities_to_wire,
    tool_choice_from_wire,
    tool_choice_to_wire,
    tool_to_wire,
    tools_from_wire,
    voice_from_wire,
)
from workbench.protocol.settings import (
    NoTurnDetection,
    SemanticVad,
    ServerVad,
    SessionSettings,
    TurnDetection,
)

#: What the service reports for settings nobody set (a fresh session's values).
SERVER_DEFAULTS = SessionSettings(
    model="gpt-realtime",
    output_modalities=("audio",),
    instructions="",
    voice="alloy",
    input_transcription_model=None,
    turn_detection=ServerVad(),
    temperature=0.8,
    input_audio_format="pcm16",
    output_audio_format="pcm16",
    tools=(),
    tool_choice="auto",
    max_output_tokens="inf",
)
GA_PCM_FORMAT: dict[str, Any] = GA_FORMATS["pcm16"]
PREVIEW_PCM_FORMAT = "pcm16"

_GA_ONLY_KEYS = ("type", "audio", "output_modalities", "max_output_tokens")
_PREVIEW_ONLY_KEYS = (
    "modalities",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "turn_detection",
    "voice",
    "temperature",
    "max_response_output_tokens",
)
_EAGERNESS = ("low", "medium", "high", "auto")


def turn_detection_to_wire(td: TurnDetection, server_ga: bool = False) -> dict[str, Any] | None:
    """The wire object of a turn detection setting (``None`` for NoTurnDetection).

    ``server_ga``: a GA server's session also reports ``idle_timeout_ms: null`` for
    server VAD (as in the reference's example).
    """
    if isinstance(td, ServerVad):
        out: dict[str, Any] = {
            "type": "server_vad",
            "threshold": td.threshold,
            "prefix_padding_ms": td.prefix_padding_ms,
            "silence_duration_ms": td.silence_duration_ms,
            "create_response": td.create_response,
            "interrupt_response": td.interrupt_response,
        }
        if server_ga:
            out["idle_timeout_ms"] = None
        return out
    if isinstance(td, SemanticVad):
        return {
            "type": "semantic_vad",
            "eagerness": td.eagerness,
            "create_response": td.create_response,
            "interrupt_response": td.interrupt_response,
        }
    return None


def turn_detection_from_wire(reader: FieldReader, key: str) -> TurnDetection | None:
    """Read ``reader[key]``: absent -> None, null -> NoTurnDetection(), else the VAD."""
    if not reader.has(key):
        return None
    sub = reader.sub(key)
    if sub is None:
        return NoTurnDetection()
    kind = sub.opt_str("type") or "server_vad"
    if kind == "server_vad":
        defaults = ServerVad()
        threshold = sub.opt_float("threshold")
        return ServerVad(
            threshold=defaults.threshold if threshold is None else threshold,
            prefix_padding_ms=sub.opt_int("prefix_padding_ms", defaults.prefix_padding_ms),
            silence_duration_ms=sub.opt_int("silence_duration_ms", defaults.silence_duration_ms),
            create_response=sub.opt_bool("create_response", True),
            interrupt_response=sub.opt_bool("interrupt_response", True),
        )
    if kind == "semantic_vad":
        eagerness = sub.opt_str("eagerness") or "auto"
        if eagerness not in _EAGERNESS:
            raise sub.fail("eagerness", "one of low/medium/high/auto", eagerness)
        return SemanticVad(
            eagerness=eagerness,  # type: ignore[arg-type]  # checked just above
            create_response=sub.opt_bool("create_response", True),
            interrupt_response=sub.opt_bool("interrupt_response", True),
        )
    raise sub.fail("type", "'server_vad' or 'semantic_vad'", kind)


def session_to_wire(
    settings: SessionSettings,
    dialect: Dialect,
    session_id: str | None = None,
    expires_at: int | None = None,
) -> dict[str, Any]:
    """The session object of ``settings`` in ``dialect``.

    Parameters
    ----------
    settings : SessionSettings
        For a client's ``session.update``, fields that are ``None`` are omitted.
    dialect : Dialect
        Target dialect. GA has no ``temperature``; it is dropped.
    session_id : str, optional
        Given for server events: the object then has every key the reference requires
        (``id``, ``object``, ``expires_at``, nulls for unset nullable keys), with
        :data:`SERVER_DEFAULTS` for settings that are ``None``.
    expires_at : int, optional
        Unix time (s) the session expires (server events; 0 when not given).

    Returns
    -------
    dict[str, Any]
        JSON-ready session object.
    """
    if session_id is None:
        return _client_session(settings, dialect)
    s = with_server_defaults(settings)
    transcription = (
        None if s.input_transcription_model is None else {"model": s.input_transcription_model}
    )
    td = s.turn_detection
    assert td is not None and s.tools is not None and s.tool_choice is not None
    assert s.input_audio_format is not None and s.output_audio_format is not None
    assert s.output_modalities is not None
    common = {
        "object": "realtime.session",
        "id": session_id,
        "model": s.model,
        "expires_at": 0 if expires_at is None else expires_at,
        "instructions": s.instructions,
        "tools": [tool_to_wire(t) for t in s.tools],
        "tool_choice": tool_choice_to_wire(s.tool_choice),
    }
    if dialect is Dialect.GA:
        audio_in = {
            "format": format_to_wire(s.input_audio_format, dialect),
            "transcription": transcription,
            "noise_reduction": None,
            "turn_detection": turn_detection_to_wire(td, server_ga=True),
        }
        audio_out = {
            "format": format_to_wire(s.output_audio_format, dialect),
            "voice": s.voice,
            "speed": 1.0,
        }
        return {
            "type": "realtime",
            **common,
            "output_modalities": modalities_to_wire(s.output_modalities, dialect),
            "max_output_tokens": s.max_output_tokens,
            "tracing": None,
            "prompt": None,
            "include": None,
            "audio": {"input": audio_in, "output": audio_out},
        }
    return {
        **common,
        "modalities": modalities_to_wire(s.output_modalities, dialect),
        "voice": s.voice,
        "input_audio_format": s.input_audio_format,
        "output_audio_format": s.output_audio_format,
        "input_audio_transcription": transcription,
        "turn_detection": turn_detection_to_wire(td),
        "temperature": s.temperature,
        "max_response_output_tokens": s.max_output_tokens,
    }


def with_server_defaults(settings: SessionSettings) -> SessionSettings:
    """``settings`` with :data:`SERVER_DEFAULTS` for every unset field (not transcription)."""
    values = {
        name: getattr(settings, name)
        if getattr(settings, name) is not None
        else getattr(SERVER_DEFAULTS, name)
        for name in SessionSettings.__dataclass_fields__
        if name != "input_transcription_model"
    }
    return SessionSettings(**values, input_transcription_model=settings.input_transcription_model)


def _client_session(s: SessionSettings, dialect: Dialect) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if dialect is Dialect.GA:
        out["type"] = "realtime"
    if s.model is not None:
        out["model"] = s.model
    if s.instructions is not None:
        out["instructions"] = s.instructions
    if s.tools is not None:
        out["tools"] = [tool_to_wire(t) for t in s.tools]
    if s.tool_choice is not None:
        out["tool_choice"] = tool_choice_to_wire(s.tool_choice)
    transcription = (
        None if s.input_transcription_model is None else {"model": s.input_transcription_model}
    )
    if dialect is Dialect.GA:
        if s.output_modalities is not None:
            out["output_modalities"] = modalities_to_wire(s.output_modalities, dialect)
        if s.max_output_tokens is not None:
            out["max_output_tokens"] = s.max_output_tokens
        audio_in: dict[str, Any] = {}
        if s.input_audio_format is not None:
            audio_in["format"] = format_to_wire(s.input_audio_format, dialect)
        if transcription is not None:
            audio_in["transcription"] = transcription
        if s.turn_detection is not None:
            audio_in["turn_detection"] = turn_detection_to_wire(s.turn_detection)
        audio_out: dict[str, Any] = {}
        if s.output_audio_format is not None:
            audio_out["format"] = format_to_wire(s.output_audio_format, dialect)
        if s.voice is not None:
            audio_out["voice"] = s.voice
        audio = {k: v for k, v in (("input", audio_in), ("output", audio_out)) if v}
        if audio:
            out["audio"] = audio
        return out
    if s.output_modalities is not None:
        out["modalities"] = modalities_to_wire(s.output_modalities, dialect)
    if s.voice is not None:
        out["voice"] = s.voice
    if s.input_audio_format is not None:
        out["input_audio_format"] = s.input_audio_format
    if s.output_audio_format is not None:
        out["output_audio_format"] = s.output_audio_format
    if transcription is not None:
        out["input_audio_transcription"] = transcription
    if s.turn_detection is not None:
        out["turn_detection"] = turn_detection_to_wire(s.turn_detection)
    if s.temperature is not None:
        out["temperature"] = s.temperature
    if s.max_output_tokens is not None:
        out["max_response_output_tokens"] = s.max_output_tokens
    return out


def session_from_wire(reader: FieldReader) -> SessionSettings:
    """Decode a session object of either dialect (see the module docstring)."""
    audio = reader.sub("audio")
    audio_in = audio.sub("input") if audio is not None else None
    audio_out = audio.sub("output") if audio is not None else None

    modalities = reader.opt_str_tuple("output_modalities")
    if modalities is None:
        modalities = reader.opt_str_tuple("modalities")
        if modalities is not None and "audio" in modalities:
            modalities = ("audio",)

    voice: str | None = None
    if audio_out is not None and audio_out.raw("voice") is not None:
        voice = voice_from_wire(audio_out)
    elif reader.raw("voice") is not None:
        voice = voice_from_wire(reader)

    transcription_model: str | None = None
    for holder, key in ((audio_in, "transcription"), (reader, "input_audio_transcription")):
        sub = holder.sub(key) if holder is not None else None
        if sub is not None:
            transcription_model = sub.opt_str("model")
            break

    turn_detection: TurnDetection | None = None
    if audio_in is not None and audio_in.has("turn_detection"):
        turn_detection = turn_detection_from_wire(audio_in, "turn_detection")
    elif reader.has("turn_detection"):
        turn_detection = turn_detection_from_wire(reader, "turn_detection")

    max_tokens = reader.raw("max_output_tokens")
    if max_tokens is None:
        max_tokens = reader.raw("max_response_output_tokens")
    return SessionSettings(
        model=reader.opt_str("model"),
        output_modalities=modalities,
        instructions=reader.opt_str("instructions"),
        voice=voice,
        input_transcription_model=transcription_model,
        turn_detection=turn_detection,
        temperature=reader.opt_float("temperature"),
        input_audio_format=format_from_wire(audio_in, reader, "input"),
        output_audio_format=format_from_wire(audio_out, reader, "output"),
        tools=tools_from_wire(reader),
        tool_choice=tool_choice_from_wire(reader),
        max_output_tokens=max_tokens_from_wire(reader, max_tokens),
    )


def session_dialect(session: Mapping[str, Any]) -> Dialect | None:
    """Which dialect a client ``session`` object is written in (None if it can't tell)."""
    if not isinstance(session, Mapping):
        raise ProtocolError("session.update: field 'session' must be an object")
    if any(key in session for key in _GA_ONLY_KEYS):
        return Dialect.GA
    if any(key in session for key in _PREVIEW_ONLY_KEYS):
        return Dialect.PREVIEW
    return None
