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
from workbench.relay.voice_to_voice import TurnAudioReport
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


@dataclass(frozen=True, slots=True)
class ToolOutputMessage:
    """``{"type": "tool_output", "call_id": "...", "output": "..."}``: answer a ``tool_call``."""

    call_id: str
    output: str


@dataclass(frozen=True, slots=True)
class ClockPing:
    """``{"type": "clock_ping", "client_ms": X}``: answered at once with ``clock_pong``.

    ``client_ms`` is the client's own clock (any finite number); the answer carries it
    back with the server's clock, so the client can map its instants onto the server's.
    """

    client_ms: float


@dataclass(frozen=True, slots=True)
class TurnReport:
    """``{"type": "turn_report", "response_id": …, …}``: what the client measured on a
    turn's audio, instants on the server's clock (see docs/api.md)."""

    report: TurnAudioReport


ClientMessage = (
    Commit
    | Interrupt
    | Playout
    | SettingsMessage
    | Close
    | ToolOutputMessage
    | ClockPing
    | TurnReport
)

MESSAGE_TYPES: Final = (
    "commit",
    "interrupt",
    "playout",
    "settings",
    "close",
    "tool_output",
    "clock_ping",
    "turn_report",
)
#: Longest ``call_id`` accepted (the service's ids are ~30 characters).
MAX_CALL_ID_CHARS: Final = 256
#: The fields of a ``turn_report`` (all optional but ``response_id``); ``underruns`` is
#: an integer, the others numbers (ms), each may be null.
TURN_REPORT_FIELDS: Final = (
    "speech_end_ms",
    "speech_end_input_ms",
    "first_audio_received_ms",
    "first_sample_ms",
    "first_audible_ms",
    "output_latency_ms",
    "jitter_buffer_ms",
    "underruns",
    "clock_uncertainty_ms",
)


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
    if kind == "tool_output":
        return _tool_output(data)
    if kind == "clock_ping":
        return ClockPing(_finite("client_ms", data.get("client_ms")))
    if kind == "turn_report":
        return TurnReport(_turn_report(data))
    raise ClientMessageError(
        f"unknown message type {kind[:64]!r}; expected one of {', '.join(MESSAGE_TYPES)}",
        code="unknown_type",
    )


def _tool_output(data: Mapping[str, Any]) -> ToolOutputMessage:
    call_id, output = data.get("call_id"), data.get("output")
    if not isinstance(call_id, str) or not 0 < len(call_id) <= MAX_CALL_ID_CHARS:
        raise ClientMessageError(
            f"call_id must be a non-empty string of at most {MAX_CALL_ID_CHARS} characters "
            "(the tool_call's call_id)",
            code="bad_field",
        )
    if not isinstance(output, str):
        raise ClientMessageError(
            "output must be a string (JSON text by convention)", code="bad_field"
        )
    return ToolOutputMessage(call_id, output)


def parse_clock_ping(text: str) -> ClockPing | None:
    """``text`` as a clock ping, or None if it is not one (a cheap test first).

    The endpoint answers pings the moment they arrive, ahead of queued audio, so the
    round trip a client measures holds no processing queue.
    """
    if len(text) > 256 or "clock_ping" not in text:
        return None
    try:
        message = parse_client_text(text, max_bytes=256)
    except ClientMessageError:
        return None  # reported when the processor handles it in order
    return message if isinstance(message, ClockPing) else None


def is_close_request(text: str) -> bool:
    """Whether ``text`` is a valid ``close`` message (a cheap test first).

    The reader notes it as it arrives: a client that sends ``close`` and drops the
    socket at once has stopped, not vanished, even if the disconnect is read before
    the processor reaches the ``close``.
    """
    if len(text) > 256 or "close" not in text:
        return False
    try:
        return isinstance(parse_client_text(text, max_bytes=256), Close)
    except ClientMessageError:
        return False


def _finite(name: str, raw: object) -> float:
    """``raw`` as a finite float, or ``bad_field`` naming ``name`` (a 400-digit integer
    from JSON is refused here, not by an ``OverflowError`` later)."""
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = float(raw)
        except OverflowError:
            value = math.inf
        if math.isfinite(value):
            return value
    raise ClientMessageError(f"{name} must be a finite number, got {_show(raw)}", code="bad_field")


def _show(raw: object) -> str:
    text = repr(raw)
    return text if len(text) <= 40 else text[:37] + "..."


def _turn_report(data: Mapping[str, Any]) -> TurnAudioReport:
    response_id = data.get("response_id")
    if not isinstance(response_id, str) or not 0 < len(response_id) <= 128:
        raise ClientMessageError(
            "response_id must be the reply's response_id (a string of 1 to 128 characters)",
            code="bad_field",
        )
    values: dict[str, Any] = {}
    for name in TURN_REPORT_FIELDS:
        raw = data.get(name)
        if raw is None:
            continue
        value = _finite(name, raw)
        if name == "underruns":
            if not value.is_integer():
                raise ClientMessageError(
                    f"underruns must be an integer, got {_show(raw)}", code="bad_field"
                )
            values[name] = int(value)
        else:
            values[name] = value
    try:
        return TurnAudioReport(response_id, **values)
    except ValueError as exc:
        raise ClientMessageError(str(exc), code="bad_field") from None


def _played_ms(raw: object) -> float:
    value = _finite("played_ms", raw)
    if value < 0:
        raise ClientMessageError(f"played_ms must be a number >= 0, got {raw!r}", code="bad_field")
    return value
