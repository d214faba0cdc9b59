"""Dialect-neutral realtime protocol events (typed, frozen, no I/O).

The relay and the mock speak these dataclasses; :mod:`workbench.protocol.dialects`
maps them to and from the two wire dialects (GA and preview/beta). Audio payloads are
raw PCM16 little-endian mono 24 kHz ``bytes`` here; base64 exists only on the wire.

Conventions
-----------
- Every event has ``event_id: str | None = None`` as its last field. Client events may
  leave it ``None``; the mock always sets it on server events (the service does too).
- ``None`` in a settings field means "not set": the field is omitted on the wire.
- Item, part and response mappings are kept as JSON-like mappings in the neutral (GA)
  shape: assistant content types are ``output_audio`` / ``output_text``; the preview
  encoder renames them to ``audio`` / ``text`` and the decoder renames them back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from workbench.protocol.settings import Eagerness as Eagerness
from workbench.protocol.settings import NoTurnDetection as NoTurnDetection
from workbench.protocol.settings import SemanticVad as SemanticVad
from workbench.protocol.settings import ServerVad as ServerVad
from workbench.protocol.settings import SessionSettings as SessionSettings
from workbench.protocol.settings import TurnDetection as TurnDetection

# --------------------------------------------------------------------------------------
# Client events
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionUpdate:
    """``session.update``: change session settings."""

    session: SessionSettings
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferAppend:
    """``input_audio_buffer.append``: raw PCM16 LE mono 24 kHz bytes (base64 on the wire)."""

    audio: bytes
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferCommit:
    """``input_audio_buffer.commit``: turn the buffer into a user message item."""

    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferClear:
    """``input_audio_buffer.clear``: drop the uncommitted input audio."""

    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationItemCreate:
    """``conversation.item.create``: add an item (JSON-like mapping) to the conversation."""

    item: Mapping[str, Any]
    previous_item_id: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationItemTruncate:
    """``conversation.item.truncate``: cut an assistant audio item at ``audio_end_ms``."""

    item_id: str
    content_index: int
    audio_end_ms: int
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseCreate:
    """``response.create``; ``response`` holds optional per-response overrides (raw)."""

    response: Mapping[str, Any] | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseCancel:
    """``response.cancel`` of the active response (or the one named)."""

    response_id: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class UnknownClientEvent:
    """A client event type this layer does not model; ``payload`` excludes ``type``/``event_id``."""

    type: str
    payload: Mapping[str, Any]
    event_id: str | None = None


ClientEvent: TypeAlias = (
    SessionUpdate
    | InputAudioBufferAppend
    | InputAudioBufferCommit
    | InputAudioBufferClear
    | ConversationItemCreate
    | ConversationItemTruncate
    | ResponseCreate
    | ResponseCancel
    | UnknownClientEvent
)

# --------------------------------------------------------------------------------------
# Server events
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ErrorInfo:
    """The ``error`` object of an error event (a value, not an event).

    ``event_id`` is the id of the client event that caused the error, if any.
    """

    type: str
    message: str
    code: str | None = None
    param: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class SessionCreated:
    """``session.created``: the first event of every connection."""

    session: SessionSettings
    session_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class SessionUpdated:
    """``session.updated``: the effective settings after a ``session.update``."""

    session: SessionSettings
    session_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferCommitted:
    """``input_audio_buffer.committed``: the buffer became user item ``item_id``."""

    item_id: str
    previous_item_id: str | None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferCleared:
    """``input_audio_buffer.cleared``."""

    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferSpeechStarted:
    """``input_audio_buffer.speech_started`` (server VAD).

    ``audio_start_ms`` counts ms of all audio appended in the session.
    """

    audio_start_ms: int
    item_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioBufferSpeechStopped:
    """``input_audio_buffer.speech_stopped`` (server VAD); ms of audio appended."""

    audio_end_ms: int
    item_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationItemCreated:
    """GA ``conversation.item.added`` / preview ``conversation.item.created``."""

    item: Mapping[str, Any]
    previous_item_id: str | None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationItemDone:
    """GA ``conversation.item.done``: an item is complete (no preview equivalent)."""

    item: Mapping[str, Any]
    previous_item_id: str | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationItemTruncated:
    """``conversation.item.truncated``: an assistant audio item was cut."""

    item_id: str
    content_index: int
    audio_end_ms: int
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioTranscriptionCompleted:
    """``conversation.item.input_audio_transcription.completed``.

    ``usage`` is the raw usage object (the SDK's models require one on the wire).
    """

    item_id: str
    content_index: int
    transcript: str
    usage: Mapping[str, Any] | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class InputAudioTranscriptionFailed:
    """``conversation.item.input_audio_transcription.failed``."""

    item_id: str
    content_index: int
    error: ErrorInfo
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseCreated:
    """``response.created``: a response started (status ``in_progress``)."""

    response_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseDone:
    """``response.done``; ``status`` is completed / cancelled / failed / incomplete.

    ``output`` holds the response's items and ``usage`` its token usage (both raw).
    """

    response_id: str
    status: str
    status_details: Mapping[str, Any] | None = None
    output: tuple[Mapping[str, Any], ...] = ()
    usage: Mapping[str, Any] | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseOutputItemAdded:
    """``response.output_item.added``."""

    response_id: str
    output_index: int
    item: Mapping[str, Any]
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseOutputItemDone:
    """``response.output_item.done``."""

    response_id: str
    output_index: int
    item: Mapping[str, Any]
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseContentPartAdded:
    """``response.content_part.added``; ``part`` like ``{"type": "audio", "transcript": ""}``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    part: Mapping[str, Any]
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseContentPartDone:
    """``response.content_part.done``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    part: Mapping[str, Any]
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseAudioDelta:
    """GA ``response.output_audio.delta`` / preview ``response.audio.delta`` (raw PCM16)."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: bytes
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseAudioDone:
    """GA ``response.output_audio.done`` / preview ``response.audio.done``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseAudioTranscriptDelta:
    """GA ``response.output_audio_transcript.delta`` (preview ``response.audio_transcript.*``)."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseAudioTranscriptDone:
    """GA ``response.output_audio_transcript.done`` / preview ``response.audio_transcript.done``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    transcript: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseTextDelta:
    """GA ``response.output_text.delta`` / preview ``response.text.delta``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    delta: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseTextDone:
    """GA ``response.output_text.done`` / preview ``response.text.done``."""

    response_id: str
    item_id: str
    output_index: int
    content_index: int
    text: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class RateLimitsUpdated:
    """``rate_limits.updated``; entries like ``{"name", "limit", "remaining", "reset_seconds"}``."""

    rate_limits: tuple[Mapping[str, Any], ...]
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ErrorEvent:
    """``error``: something the client sent (or the session) went wrong."""

    error: ErrorInfo
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class UnknownServerEvent:
    """A server event type this layer does not model; ``payload`` excludes ``type``/``event_id``."""

    type: str
    payload: Mapping[str, Any]
    event_id: str | None = None


ServerEvent: TypeAlias = (
    SessionCreated
    | SessionUpdated
    | InputAudioBufferCommitted
    | InputAudioBufferCleared
    | InputAudioBufferSpeechStarted
    | InputAudioBufferSpeechStopped
    | ConversationItemCreated
    | ConversationItemDone
    | ConversationItemTruncated
    | InputAudioTranscriptionCompleted
    | InputAudioTranscriptionFailed
    | ResponseCreated
    | ResponseDone
    | ResponseOutputItemAdded
    | ResponseOutputItemDone
    | ResponseContentPartAdded
    | ResponseContentPartDone
    | ResponseAudioDelta
    | ResponseAudioDone
    | ResponseAudioTranscriptDelta
    | ResponseAudioTranscriptDone
    | ResponseTextDelta
    | ResponseTextDone
    | RateLimitsUpdated
    | ErrorEvent
    | UnknownServerEvent
)
