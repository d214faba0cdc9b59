"""The client → server half of ``WS /ws/realtime``: settings and control messages.

Pure and synchronous (sans-I/O): the endpoint hands text frames and query strings in,
gets typed messages or a :class:`ClientMessageError` naming the problem out. The exact
protocol is in docs/api.md.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

from workbench.errors import ConfigError, WorkbenchError
from workbench.protocol.settings import NoTurnDetection, SemanticVad, ServerVad, TurnDetection
from workbench.relay.config import RelayConfig

TurnDetectionName = Literal["none", "server_vad", "semantic_vad"]
TURN_DETECTION_NAMES: Final = ("none", "server_vad", "semantic_vad")
EAGERNESS_NAMES: Final = ("low", "medium", "high", "auto")
MIN_SAMPLE_RATE_HZ: Final = 8_000
MAX_SAMPLE_RATE_HZ: Final = 96_000
MAX_VOICE_CHARS: Final = 64
MAX_INSTRUCTIONS_CHARS: Final = 16_384

#: Every settings key a client may send (query string or ``settings`` message).
SETTING_KEYS: Final = (
    "sample_rate_hz",
    "turn_detection",
    "chunk_ms",
    "voice",
    "instructions",
    "vad_threshold",
    "vad_prefix_padding_ms",
    "vad_silence_ms",
    "vad_eagerness",
)


class ClientMessageError(WorkbenchError):
    """A client message that cannot be used; ``code`` goes out in the error event.

    Codes: ``bad_json``, ``bad_message``, ``unknown_type``, ``message_too_large``,
    ``bad_settings``, ``bad_field``.
    """

    code = "bad_message"
    http_status = 400


@dataclass(frozen=True, slots=True)
class WsSettings:
    """Per-connection session settings (query string and/or first ``settings`` message).

    Parameters
    ----------
    sample_rate_hz : int
        Rate of the client's PCM16 input frames (Hz, 8000–96000).
    turn_detection : {"none", "server_vad", "semantic_vad"}
        ``none``: the client sends ``commit``; otherwise the model detects turns.
    chunk_ms : float | None
        Upstream frame duration (ms, 5–1000); None = the API default.
    voice, instructions : str | None
        Forwarded to the model.
    vad_threshold : float | None
        server_vad threshold (0–1).
    vad_prefix_padding_ms, vad_silence_ms : int | None
        server_vad padding and end-of-speech silence (ms).
    vad_eagerness : {"low", "medium", "high", "auto"} | None
        semantic_vad eagerness.
    """

    sample_rate_hz: int = 24_000
    turn_detection: TurnDetectionName = "server_vad"
    chunk_ms: float | None = None
    voice: str | None = None
    instructions: str | None = None
    vad_threshold: float | None = None
    vad_prefix_padding_ms: int | None = None
    vad_silence_ms: int | None = None
    vad_eagerness: str | None = None

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> WsSettings:
        """Settings from URL query parameters (unknown parameters are ignored)."""
        return cls().merged({k: v for k, v in query.items() if k in SETTING_KEYS})

    def merged(self, values: Mapping[str, Any]) -> WsSettings:
        """A copy with ``values`` applied; ``ClientMessageError(bad_settings)`` names a bad one."""
        unknown = sorted(k for k in values if k not in SETTING_KEYS)
        if unknown:
            raise ClientMessageError(
                f"unknown setting(s) {', '.join(unknown)}; known: {', '.join(SETTING_KEYS)}",
                code="bad_settings",
            )
        changes: dict[str, Any] = {}
        for key, raw in values.items():
            changes[key] = None if raw is None else _PARSERS[key](key, raw)
        if changes.get("sample_rate_hz", 0) is None:
            changes["sample_rate_hz"] = 24_000
        if changes.get("turn_detection", "") is None:
            changes["turn_detection"] = "server_vad"
        return replace(self, **changes)

    def turn_detection_config(self) -> TurnDetection:
        """The protocol's turn-detection settings these values imply."""
        if self.turn_detection == "none":
            return NoTurnDetection()
        if self.turn_detection == "semantic_vad":
            eagerness: Any = self.vad_eagerness or "auto"
            return SemanticVad(eagerness=eagerness)
        vad = ServerVad()
        return ServerVad(
            threshold=vad.threshold if self.vad_threshold is None else self.vad_threshold,
            prefix_padding_ms=(
                vad.prefix_padding_ms
                if self.vad_prefix_padding_ms is None
                else self.vad_prefix_padding_ms
            ),
            silence_duration_ms=(
                vad.silence_duration_ms if self.vad_silence_ms is None else self.vad_silence_ms
            ),
        )

    def relay_config(self, base: RelayConfig) -> RelayConfig:
        """``base`` with these settings applied (ConfigError → ``bad_settings``)."""
        changes: dict[str, Any] = {"turn_detection": self.turn_detection_config()}
        if self.chunk_ms is not None:
            changes["chunk_ms"] = self.chunk_ms
        if self.voice is not None:
            changes["voice"] = self.voice
        if self.instructions is not None:
            changes["instructions"] = self.instructions
        try:
            return base.with_changes(**changes)
        except ConfigError as exc:
            raise ClientMessageError(exc.message, code="bad_settings") from None


def _number(key: str, raw: object, lo: float, hi: float) -> float:
    try:
        if isinstance(raw, bool):
            raise ValueError
        value = float(raw)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ClientMessageError(
            f"{key} must be a number, got {raw!r}", code="bad_settings"
        ) from None
    if math.isnan(value) or not lo <= value <= hi:
        raise ClientMessageError(
            f"{key} must be between {lo:g} and {hi:g}, got {raw!r}", code="bad_settings"
        )
    return value


def _integer(key: str, raw: object, lo: int, hi: int) -> int:
    value = _number(key, raw, lo, hi)
    if value != int(value):
        raise ClientMessageError(f"{key} must be a whole number, got {raw!r}", code="bad_settings")
    return int(value)


def _choice(key: str, raw: object, choices: tuple[str, ...]) -> str:
    if not isinstance(raw, str) or raw not in choices:
        raise ClientMessageError(
            f"{key} must be one of {', '.join(choices)}, got {raw!r}", code="bad_settings"
        )
    return raw


def _text(key: str, raw: object, max_chars: int) -> str:
    if not isinstance(raw, str) or len(raw) > max_chars:
        raise ClientMessageError(
            f"{key} must be a string of at most {max_chars} characters", code="bad_settings"
        )
    return raw


_PARSERS: Final[dict[str, Any]] = {
    "sample_rate_hz": lambda k, v: _integer(k, v, MIN_SAMPLE_RATE_HZ, MAX_SAMPLE_RATE_HZ),
    "turn_detection": lambda k, v: _choice(k, v, TURN_DETECTION_NAMES),
    "chunk_ms": lambda k, v: _number(k, v, 5.0, 1000.0),
    "voice": lambda k, v: _text(k, v, MAX_VOICE_CHARS),
    "instructions": lambda k, v: _text(k, v, MAX_INSTRUCTIONS_CHARS),
    "vad_threshold": lambda k, v: _number(k, v, 0.0, 1.0),
    "vad_prefix_padding_ms": lambda k, v: _integer(k, v, 0, 5000),
    "vad_silence_ms": lambda k, v: _integer(k, v, 0, 10_000),
    "vad_eagerness": lambda k, v: _choice(k, v, EAGERNESS_NAMES),
}


# --- control messages -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Commit:
    """``{"type": "commit"}``: end the user's turn and ask for a reply."""


@dataclass(frozen=True, slots=True)
class Interrupt:
    """``{"type": "interrupt", "played_ms": N}``: barge in, cut the reply at ``played_ms``."""

    played_ms: float | None = None


@dataclass(frozen=True, slots=True)
class Playout:
    """``{"type": "playout", "played_ms": N, "item_id": "..."}``: playback position (ms)."""

    played_ms: float
    item_id: str | None = None


@dataclass(frozen=True, slots=True)
class SettingsMessage:
    """``{"type": "settings", ...}``: session settings (only before any audio)."""

    values: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Close:
    """``{"type": "close"}``: end the session cleanly."""


ClientMessage = Commit | Interrupt | Playout | SettingsMessage | Close

MESSAGE_TYPES: Final = ("commit", "interrupt", "playout", "settings", "close")


def parse_client_text(text: str, *, max_bytes: int = 64 * 1024) -> ClientMessage:
    """Parse one text frame from the client.

    Parameters
    ----------
    text : str
        The frame's text.
    max_bytes : int
        Largest accepted message (bytes of UTF-8).

    Returns
    -------
    ClientMessage

    Raises
    ------
    ClientMessageError
        ``message_too_large``, ``bad_json``, ``bad_message`` (not an object, no type),
        ``unknown_type`` or ``bad_field``.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise ClientMessageError(
            f"text message of {size} bytes exceeds the {max_bytes}-byte limit",
            code="message_too_large",
        )
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ClientMessageError("text message is not valid JSON", code="bad_json") from None
    if not isinstance(data, dict):
        raise ClientMessageError(
            f"text message must be a JSON object with a 'type', got {type(data).__name__}",
            code="bad_message",
        )
    kind = data.get("type")
    if not isinstance(kind, str):
        raise ClientMessageError("text message has no string 'type'", code="bad_message")
    if kind == "commit":
        return Commit()
    if kind == "close":
        return Close()
    if kind == "settings":
        return SettingsMessage({k: v for k, v in data.items() if k != "type"})
    if kind == "interrupt":
        played = data.get("played_ms")
        return Interrupt(None if played is None else _played_ms(played))
    if kind == "playout":
        item_id = data.get("item_id")
        if item_id is not None and not isinstance(item_id, str):
            raise ClientMessageError("item_id must be a string", code="bad_field")
        return Playout(_played_ms(data.get("played_ms")), item_id)
    raise ClientMessageError(
        f"unknown message type {kind[:64]!r}; expected one of {', '.join(MESSAGE_TYPES)}",
        code="unknown_type",
    )


def _played_ms(raw: object) -> float:
    if (
        isinstance(raw, bool)
        or not isinstance(raw, int | float)
        or not math.isfinite(raw)
        or raw < 0
    ):
        raise ClientMessageError(f"played_ms must be a number >= 0, got {raw!r}", code="bad_field")
    return float(raw)
