"""SessionSettings <-> the session objects of both dialects.

GA::

    {"type": "realtime", "model": ..., "output_modalities": [...], "instructions": ...,
     "audio": {"input": {"format": {"type": "audio/pcm", "rate": 24000},
                         "transcription": {"model": ...}, "turn_detection": {...} | null},
               "output": {"format": {"type": "audio/pcm", "rate": 24000}, "voice": ...}}}

Preview::

    {"model": ..., "modalities": [...], "instructions": ..., "voice": ...,
     "input_audio_format": "pcm16", "output_audio_format": "pcm16",
     "input_audio_transcription": {"model": ...}, "turn_detection": {...} | null,
     "temperature": ...}

The decoder is lenient about the shape: it reads both layouts, so a session object
from either dialect decodes. Audio formats are not read (the workbench is PCM16 24 kHz
only); a GA ``voice`` given as ``{"id": ...}`` decodes to that id.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.errors import ProtocolError
from workbench.protocol.json_codec import Dialect, FieldReader
from workbench.protocol.settings import (
    NoTurnDetection,
    SemanticVad,
    ServerVad,
    SessionSettings,
    TurnDetection,
)

GA_PCM_FORMAT: dict[str, Any] = {"type": "audio/pcm", "rate": 24000}
PREVIEW_PCM_FORMAT = "pcm16"

_GA_ONLY_KEYS = ("type", "audio", "output_modalities")
_PREVIEW_ONLY_KEYS = (
    "modalities",
    "input_audio_format",
    "output_audio_format",
    "input_audio_transcription",
    "turn_detection",
    "voice",
    "temperature",
)
_EAGERNESS = ("low", "medium", "high", "auto")


def turn_detection_to_wire(td: TurnDetection) -> dict[str, Any] | None:
    """The wire object of a turn detection setting (``None`` for NoTurnDetection)."""
    if isinstance(td, ServerVad):
        return {
            "type": "server_vad",
            "threshold": td.threshold,
            "prefix_padding_ms": td.prefix_padding_ms,
            "silence_duration_ms": td.silence_duration_ms,
            "create_response": td.create_response,
            "interrupt_response": td.interrupt_response,
        }
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
    settings: SessionSettings, dialect: Dialect, session_id: str | None = None
) -> dict[str, Any]:
    """The session object of ``settings`` in ``dialect``.

    Parameters
    ----------
    settings : SessionSettings
        Fields that are ``None`` are omitted.
    dialect : Dialect
        Target dialect. GA has no ``temperature``; it is dropped.
    session_id : str, optional
        For server events: adds ``"id"`` and ``"object": "realtime.session"``.

    Returns
    -------
    dict[str, Any]
        JSON-ready session object; audio formats are always PCM16 24 kHz.
    """
    s = settings
    out: dict[str, Any] = {}
    if dialect is Dialect.GA:
        out["type"] = "realtime"
    if session_id is not None:
        out["object"] = "realtime.session"
        out["id"] = session_id
    if s.model is not None:
        out["model"] = s.model
    if s.instructions is not None:
        out["instructions"] = s.instructions
    transcription = (
        None if s.input_transcription_model is None else {"model": s.input_transcription_model}
    )
    if dialect is Dialect.GA:
        if s.output_modalities is not None:
            out["output_modalities"] = list(s.output_modalities)
        audio_in: dict[str, Any] = {"format": dict(GA_PCM_FORMAT)}
        if transcription is not None:
            audio_in["transcription"] = transcription
        if s.turn_detection is not None:
            audio_in["turn_detection"] = turn_detection_to_wire(s.turn_detection)
        audio_out: dict[str, Any] = {"format": dict(GA_PCM_FORMAT)}
        if s.voice is not None:
            audio_out["voice"] = s.voice
        out["audio"] = {"input": audio_in, "output": audio_out}
        return out
    if s.output_modalities is not None:
        out["modalities"] = list(s.output_modalities)
    if s.voice is not None:
        out["voice"] = s.voice
    out["input_audio_format"] = PREVIEW_PCM_FORMAT
    out["output_audio_format"] = PREVIEW_PCM_FORMAT
    if transcription is not None:
        out["input_audio_transcription"] = transcription
    if s.turn_detection is not None:
        out["turn_detection"] = turn_detection_to_wire(s.turn_detection)
    if s.temperature is not None:
        out["temperature"] = s.temperature
    return out


def session_from_wire(reader: FieldReader) -> SessionSettings:
    """Decode a session object of either dialect (see the module docstring)."""
    audio = reader.sub("audio")
    audio_in = audio.sub("input") if audio is not None else None
    audio_out = audio.sub("output") if audio is not None else None

    modalities = reader.opt_str_tuple("output_modalities")
    if modalities is None:
        modalities = reader.opt_str_tuple("modalities")

    voice: str | None = None
    if audio_out is not None and audio_out.raw("voice") is not None:
        voice = _voice(audio_out)
    elif reader.raw("voice") is not None:
        voice = _voice(reader)

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

    return SessionSettings(
        model=reader.opt_str("model"),
        output_modalities=modalities,
        instructions=reader.opt_str("instructions"),
        voice=voice,
        input_transcription_model=transcription_model,
        turn_detection=turn_detection,
        temperature=reader.opt_float("temperature"),
    )


def _voice(reader: FieldReader) -> str:
    value = reader.raw("voice")
    if isinstance(value, Mapping):
        sub = reader.sub("voice")
        assert sub is not None
        return sub.str_("id")
    return reader.str_("voice")


def session_dialect(session: Mapping[str, Any]) -> Dialect | None:
    """Which dialect a client ``session`` object is written in (None if it can't tell)."""
    if not isinstance(session, Mapping):
        raise ProtocolError("session.update: field 'session' must be an object")
    if any(key in session for key in _GA_ONLY_KEYS):
        return Dialect.GA
    if any(key in session for key in _PREVIEW_ONLY_KEYS):
        return Dialect.PREVIEW
    return None
