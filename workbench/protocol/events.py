"""Dialect-neutral realtime protocol events (typed, frozen, no I/O).

The relay and the mock speak these dataclasses; :mod:`workbench.protocol.dialects`
maps them to and from the two wire dialects (GA and preview/beta). Audio payloads are
raw ``bytes`` in the session's audio format (PCM16 little-endian mono 24 kHz by
default, G.711 at 8 kHz when negotiated); base64 exists only on the wire. Client
events live in :mod:`workbench.protocol.client_events` and are re-exported here.

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

from workbench.protocol.client_events import ClientEvent as ClientEvent
from workbench.protocol.client_events import ConversationItemCreate as ConversationItemCreate
from workbench.protocol.client_events import ConversationItemTruncate as ConversationItemTruncate
from workbench.protocol.client_events import InputAudioBufferAppend as InputAudioBufferAppend
from workbench.protocol.client_events import InputAudioBufferClear as InputAudioBufferClear
from workbench.protocol.client_events import InputAudioBufferCommit as InputAudioBufferCommit
from workbench.protocol.client_events import ResponseCancel as ResponseCancel
from workbench.protocol.client_events import ResponseCreate as ResponseCreate
from workbench.protocol.client_events import SessionUpdate as SessionUpdate
from workbench.protocol.client_events import UnknownClientEvent as UnknownClientEvent
from workbench.protocol.client_events import function_call_output_item as function_call_output_item
from workbench.protocol.response_events import ResponseAudioDelta as ResponseAudioDelta
from workbench.protocol.response_events import ResponseAudioDone as ResponseAudioDone
from workbench.protocol.response_events import (
    ResponseAudioTranscriptDelta as ResponseAudioTranscriptDelta,
)
from workbench.protocol.response_events import (
    ResponseAudioTranscriptDone as ResponseAudioTranscriptDone,
)
from workbench.protocol.response_events import ResponseContentPartAdded as ResponseContentPartAdded
from workbench.protocol.response_events import ResponseContentPartDone as ResponseContentPartDone
from workbench.protocol.response_events import (
    ResponseFunctionCallArgumentsDelta as ResponseFunctionCallArgumentsDelta,
)
from workbench.protocol.response_events import (
    ResponseFunctionCallArgumentsDone as ResponseFunctionCallArgumentsDone,
)
from workbench.protocol.response_events import ResponseTextDelta as ResponseTextDelta
from workbench.protocol.response_events import ResponseTextDone as ResponseTextDone
from workbench.protocol.settings import AudioFormatName as AudioFormatName
from workbench.protocol.settings import Eagerness as Eagerness
from workbench.protocol.settings import FunctionTool as FunctionTool
from workbench.protocol.settings import NoTurnDetection as NoTurnDetection
from workbench.protocol.settings import SemanticVad as SemanticVad
from workbench.protocol.settings import ServerVad as ServerVad
from workbench.protocol.settings import SessionSettings as SessionSettings
from workbench.protocol.settings import ToolChoiceFunction as ToolChoiceFunction
from workbench.protocol.settings import TurnDetection as TurnDetection

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
    """``session.created``: the first event of every connection.

    ``expires_at`` is the Unix time (s) the service will end the session.
    """

    session: SessionSettings
    session_id: str
    expires_at: int | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class SessionUpdated:
    """``session.updated``: the effective settings after a ``session.update``."""

    session: SessionSettings
    session_id: str
    expires_at: int | None = None
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ConversationCreated:
    """``conversation.created`` (preview): the session's default conversation exists."""

    conversation_id: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseSettings:
    """What a ``response`` object reports about how it answers (both dialects).

    GA writes ``output_modalities``, ``max_output_tokens`` and ``audio.output``
    (format, voice); preview writes ``modalities``, ``voice``, ``output_audio_format``,
    ``temperature`` and ``max_output_tokens``. ``conversation_id`` is ``None`` for a
    response outside the conversation.
    """

    output_modalities: tuple[str, ...] = ("audio",)
    voice: str = "alloy"
    output_audio_format: AudioFormatName = "pcm16"
    temperature: float = 0.8
    max_output_tokens: int | str = "inf"
    conversation_id: str | None = None


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
class InputAudioTranscriptionDelta:
    """``conversation.item.input_audio_transcription.delta``: part of the user's transcript."""

    item_id: str
    content_index: int
    delta: str
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
    settings: ResponseSettings = ResponseSettings()
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
    settings: ResponseSettings = ResponseSettings()
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
    | ConversationCreated
    | InputAudioBufferCommitted
    | InputAudioBufferCleared
    | InputAudioBufferSpeechStarted
    | InputAudioBufferSpeechStopped
    | ConversationItemCreated
    | ConversationItemDone
    | ConversationItemTruncated
    | InputAudioTranscriptionCompleted
    | InputAudioTranscriptionDelta
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
    | ResponseFunctionCallArgumentsDelta
    | ResponseFunctionCallArgumentsDone
    | RateLimitsUpdated
    | ErrorEvent
    | UnknownServerEvent
)
