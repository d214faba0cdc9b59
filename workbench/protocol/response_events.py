"""Dialect-neutral streaming events of a response: content parts, audio, text, calls.

Re-exported by :mod:`workbench.protocol.events`. Each is addressed by ``response_id``,
``item_id`` and ``output_index`` (content events also by ``content_index``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


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
    """GA ``response.output_audio.delta`` / preview ``response.audio.delta`` (raw audio bytes)."""

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
class ResponseFunctionCallArgumentsDelta:
    """``response.function_call_arguments.delta``: a piece of a call's JSON arguments."""

    response_id: str
    item_id: str
    output_index: int
    call_id: str
    delta: str
    event_id: str | None = None


@dataclass(frozen=True, slots=True)
class ResponseFunctionCallArgumentsDone:
    """``response.function_call_arguments.done``: the model called ``name(arguments)``.

    ``arguments`` is the whole JSON text; answer with a ``function_call_output`` item
    (:func:`function_call_output_item`) carrying ``call_id``, then ``response.create``.
    """

    response_id: str
    item_id: str
    output_index: int
    call_id: str
    name: str
    arguments: str
    event_id: str | None = None
