"""Session settings shared by client and server events (dialect-neutral, frozen).

Audio formats have neutral names (:data:`AudioFormatName`): ``pcm16`` is PCM16
little-endian mono 24 kHz (the default), ``g711_ulaw`` / ``g711_alaw`` are G.711
μ-law / A-law at 8 kHz (telephony). The codecs write them as GA
``{"type": "audio/pcm", "rate": 24000}`` / ``audio/pcmu`` / ``audio/pcma`` and as the
preview's ``pcm16`` / ``g711_ulaw`` / ``g711_alaw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

Eagerness = Literal["low", "medium", "high", "auto"]
AudioFormatName = Literal["pcm16", "g711_ulaw", "g711_alaw"]
AUDIO_FORMAT_NAMES: tuple[AudioFormatName, ...] = ("pcm16", "g711_ulaw", "g711_alaw")
#: Sample rate (Hz) of each audio format; G.711 is 8-bit companded at 8 kHz.
AUDIO_FORMAT_RATES_HZ: Mapping[AudioFormatName, int] = {
    "pcm16": 24_000,
    "g711_ulaw": 8_000,
    "g711_alaw": 8_000,
}
#: Bytes per sample of each audio format.
AUDIO_FORMAT_SAMPLE_BYTES: Mapping[AudioFormatName, int] = {
    "pcm16": 2,
    "g711_ulaw": 1,
    "g711_alaw": 1,
}
ToolChoiceMode = Literal["auto", "none", "required"]
MaxOutputTokens: TypeAlias = int | Literal["inf"]


def audio_bytes_per_ms(name: AudioFormatName) -> float:
    """Bytes of ``name`` audio per millisecond (48 for PCM16 24 kHz, 8 for G.711)."""
    return AUDIO_FORMAT_RATES_HZ[name] * AUDIO_FORMAT_SAMPLE_BYTES[name] / 1000.0


@dataclass(frozen=True, slots=True)
class FunctionTool:
    """A function the model may call: its ``name``, what it does, and its JSON Schema.

    ``parameters`` is a JSON Schema object (``{"type": "object", "properties": …}``).
    """

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(
        default_factory=lambda: {"type": "object", "properties": {}}
    )


@dataclass(frozen=True, slots=True)
class ToolChoiceFunction:
    """``tool_choice`` naming one function the model must call."""

    name: str


ToolChoice: TypeAlias = ToolChoiceMode | ToolChoiceFunction


@dataclass(frozen=True, slots=True)
class NoTurnDetection:
    """Turn detection off: the client commits the buffer and asks for responses itself.

    On the wire this is ``turn_detection: null``.
    """


@dataclass(frozen=True, slots=True)
class ServerVad:
    """Energy-based voice activity detection on the server (``server_vad``).

    ``threshold`` is in 0..1 (higher needs louder audio); ``prefix_padding_ms`` is the
    audio kept before detected speech; ``silence_duration_ms`` the silence that ends it.
    """

    threshold: float = 0.5
    prefix_padding_ms: int = 300
    silence_duration_ms: int = 500
    create_response: bool = True
    interrupt_response: bool = True


@dataclass(frozen=True, slots=True)
class SemanticVad:
    """Turn detection by a model of whether the user has finished (``semantic_vad``)."""

    eagerness: Eagerness = "auto"
    create_response: bool = True
    interrupt_response: bool = True


TurnDetection: TypeAlias = NoTurnDetection | ServerVad | SemanticVad


@dataclass(frozen=True, slots=True)
class SessionSettings:
    """The session settings the workbench uses.

    Every field is optional; ``None`` means "not set / leave as is" and is omitted from
    a client's ``session.update`` (a server's session object writes every key the
    reference requires, with the service's defaults). ``turn_detection=NoTurnDetection()``
    turns detection off (wire ``null``). ``temperature`` exists only in the preview
    dialect; the GA encoder drops it. ``input_audio_format`` / ``output_audio_format``
    are neutral names (see :data:`AudioFormatName`).
    """

    model: str | None = None
    output_modalities: tuple[str, ...] | None = None
    instructions: str | None = None
    voice: str | None = None
    input_transcription_model: str | None = None
    turn_detection: TurnDetection | None = None
    temperature: float | None = None
    input_audio_format: AudioFormatName | None = None
    output_audio_format: AudioFormatName | None = None
    tools: tuple[FunctionTool, ...] | None = None
    tool_choice: ToolChoice | None = None
    max_output_tokens: MaxOutputTokens | None = None
