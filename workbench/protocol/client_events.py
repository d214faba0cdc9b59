"""Dialect-neutral client events (typed, frozen, no I/O); re-exported by ``events``.

Audio payloads are raw bytes in the session's input format (PCM16 LE mono 24 kHz by
default; G.711 μ-law / A-law bytes at 8 kHz when negotiated); base64 exists only on
the wire. Items are JSON-like mappings in the neutral (GA) shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from workbench.protocol.settings import SessionSettings

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
    """``input_audio_buffer.append``: audio bytes in the input format (base64 on the wire)."""

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


def function_call_output_item(call_id: str, output: str) -> dict[str, Any]:
    """The item a client creates to answer a function call (``conversation.item.create``).

    Parameters
    ----------
    call_id : str
        The ``call_id`` of the model's ``function_call`` item.
    output : str
        The function's result (free text; JSON by convention).

    Returns
    -------
    dict[str, Any]
        ``{"type": "function_call_output", "call_id": ..., "output": ...}``.
    """
    return {"type": "function_call_output", "call_id": call_id, "output": output}
