"""Session settings shared by client and server events (dialect-neutral, frozen).

Audio is always PCM16 little-endian mono 24 kHz, so it is not a setting here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

Eagerness = Literal["low", "medium", "high", "auto"]


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
    """The session settings the workbench uses (audio is always PCM16 24 kHz).

    Every field is optional; ``None`` means "not set / leave as is" and is omitted on
    the wire. ``turn_detection=NoTurnDetection()`` turns detection off (wire ``null``).
    ``temperature`` exists only in the preview dialect; the GA encoder drops it.
    """

    model: str | None = None
    output_modalities: tuple[str, ...] | None = None
    instructions: str | None = None
    voice: str | None = None
    input_transcription_model: str | None = None
    turn_detection: TurnDetection | None = None
    temperature: float | None = None
