"""The client → server half of ``WS /ws/realtime``: settings and control messages.

Pure and synchronous (sans-I/O): the endpoint hands text frames and query strings in,
gets typed messages or a :class:`ClientMessageError` naming the problem out. Settings
keys and their ranges are :class:`~workbench.settings.RelaySettings`' fields (the one
settings source); the exact protocol is in docs/api.md.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from workbench.errors import WorkbenchError
from workbench.settings import RelaySettings, SettingsError, parse_values, specs

#: Every settings key a client may send (query string or ``settings`` message).
SETTING_KEYS: Final = tuple(s.name for s in specs(RelaySettings))
#: The query key naming which surface opened the WebSocket (not a session setting).
SURFACE_KEY: Final = "surface"
#: Surface value → the session kind it is recorded as (``/sessions``, ``/metrics``).
#: The Gradio Talk tab's realtime component connects with ``surface=talk``.
SURFACE_KINDS: Final = {"talk": "talk"}
#: The kind of a WebSocket session opened without a ``surface``.
DEFAULT_KIND: Final = "websocket"


class ClientMessageError(WorkbenchError):
    """A client message that cannot be used; ``code`` goes out in the error event.

    Codes: ``bad_json``, ``bad_message``, ``unknown_type``, ``message_too_large``,
    ``bad_settings``, ``bad_field``.
    """

    code = "bad_message"
    http_status = 400


def settings_from_query(query: Mapping[str, str], base: RelaySettings) -> RelaySettings:
    """``base`` with the settings keys of a URL query (other parameters are ignored).

    Raises
    ------
    ClientMessageError
        ``bad_settings``, naming every bad value with its label.
    """
    return merge_settings(base, {k: v for k, v in query.items() if k in SETTING_KEYS})


def session_kind_from_query(query: Mapping[str, str]) -> str:
    """The session kind for a connection's query: ``surface=talk`` → ``talk``, else ``websocket``.

    Raises
    ------
    ClientMessageError
        ``bad_settings`` for a ``surface`` value that is not one of :data:`SURFACE_KINDS`.
    """
    surface = query.get(SURFACE_KEY)
    if surface is None:
        return DEFAULT_KIND
    kind = SURFACE_KINDS.get(surface)
    if kind is None:
        raise ClientMessageError(
            f"surface must be one of {', '.join(SURFACE_KINDS)} (or absent), got {surface[:64]!r}",
            code="bad_settings",
        )
    return kind


def merge_settings(
    base: RelaySettings, values: Mapping[str, Any], defaults: RelaySettings | None = None
) -> RelaySettings:
    """``base`` with ``values`` applied; ``None`` resets a key to ``defaults`` (or ``base``).

    Raises
    ------
    ClientMessageError
        ``bad_settings``: every unknown key and bad value at once.
    """
    reset = defaults if defaults is not None else base
    given = {k: v for k, v in values.items() if v is not None}
    cleared = {k: getattr(reset, k) for k, v in values.items() if v is None and k in SETTING_KEYS}
    try:
        parsed = parse_values(RelaySettings, given)
        return dataclasses.replace(base, **cleared, **parsed)
    except SettingsError as exc:
        raise ClientMessageError(exc.keyed_message, code="bad_settings") from None


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
