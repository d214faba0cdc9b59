"""Wire-level helpers: compact JSON, base64 audio and typed field reading.

Everything that reads a field off a wire dict goes through :class:`FieldReader`, so a
wrong type anywhere becomes one :class:`~workbench.errors.ProtocolError` that names the
event type and the dotted field path (``session.audio.input.turn_detection.threshold``).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from workbench.errors import ProtocolError


class Dialect(StrEnum):
    """The two wire dialects of the realtime API.

    ``GA`` is the generally available protocol (``session.type = "realtime"``, nested
    ``audio.input`` / ``audio.output``, ``response.output_audio.*``). ``PREVIEW`` is
    the beta protocol (``OpenAI-Beta: realtime=v1``, Azure ``*-preview`` API versions,
    flat session fields, ``response.audio.*``).
    """

    GA = "ga"
    PREVIEW = "preview"


# Assistant content types: neutral (GA) name -> preview name.
_GA_TO_PREVIEW_CONTENT = {"output_audio": "audio", "output_text": "text"}
_PREVIEW_TO_GA_CONTENT = {v: k for k, v in _GA_TO_PREVIEW_CONTENT.items()}


def dumps(data: Mapping[str, Any]) -> str:
    """Serialise a wire dict as compact JSON (no spaces, UTF-8 kept as is).

    Parameters
    ----------
    data : Mapping[str, Any]
        A JSON-ready event dict.

    Returns
    -------
    str
        One JSON text, e.g. ``'{"type":"input_audio_buffer.commit"}'``.
    """
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False)


def loads(text: str | bytes) -> dict[str, Any]:
    """Parse one WebSocket text frame into a wire dict.

    Parameters
    ----------
    text : str or bytes
        The frame (UTF-8 if bytes).

    Returns
    -------
    dict[str, Any]
        The JSON object.

    Raises
    ------
    ProtocolError
        If the frame is not valid JSON or not a JSON object.
    """
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError, UnicodeDecodeError
        preview = text[:60] if isinstance(text, str) else text[:60].decode("utf-8", "replace")
        raise ProtocolError(f"frame is not valid JSON ({exc}): {preview!r}") from None
    if not isinstance(data, dict):
        raise ProtocolError(f"frame is JSON but not an object: {type(data).__name__}")
    return data


def as_mapping(data: str | bytes | Mapping[str, Any]) -> Mapping[str, Any]:
    """Accept a frame (str/bytes) or an already parsed mapping; return the mapping."""
    if isinstance(data, str | bytes | bytearray):
        return loads(bytes(data) if isinstance(data, bytearray) else data)
    if not isinstance(data, Mapping):
        raise ProtocolError(f"event is not a JSON object: {type(data).__name__}")
    return data


def event_type_of(data: Mapping[str, Any]) -> str:
    """The ``type`` of a wire event; ProtocolError when missing or not a string."""
    event_type = data.get("type")
    if not isinstance(event_type, str) or not event_type:
        raise ProtocolError(f"event has no string 'type' field (keys: {sorted(data)[:8]})")
    return event_type


def b64encode_audio(pcm16: bytes) -> str:
    """Base64 text of raw PCM16 bytes."""
    return base64.b64encode(pcm16).decode("ascii")


class FieldReader:
    """Typed access to the fields of one wire object, with precise error messages.

    Parameters
    ----------
    data : Mapping[str, Any]
        The object to read.
    event_type : str
        The event type, for error messages.
    path : str
        Dotted path of ``data`` inside the event ("" for the event itself).
    """

    def __init__(self, data: Mapping[str, Any], event_type: str, path: str = "") -> None:
        self.data = data
        self.event_type = event_type
        self.path = path

    def _name(self, key: str) -> str:
        return f"{self.path}.{key}" if self.path else key

    def fail(self, key: str, expected: str, value: object) -> ProtocolError:
        """A ProtocolError saying field ``key`` should have been ``expected``."""
        got = "missing" if value is _MISSING else f"got {type(value).__name__} {value!r:.40}"
        return ProtocolError(
            f"{self.event_type}: field '{self._name(key)}' must be {expected}, {got}"
        )

    def has(self, key: str) -> bool:
        """Whether ``key`` is present (even if null)."""
        return key in self.data

    def raw(self, key: str) -> Any:
        """The value as is (``None`` when absent)."""
        return self.data.get(key)

    def str_(self, key: str) -> str:
        """A required string."""
        value = self.data.get(key, _MISSING)
        if not isinstance(value, str):
            raise self.fail(key, "a string", value)
        return value

    def opt_str(self, key: str) -> str | None:
        """An optional string (absent or null gives None)."""
        value = self.data.get(key)
        if value is not None and not isinstance(value, str):
            raise self.fail(key, "a string or null", value)
        return value

    def int_(self, key: str) -> int:
        """A required integer (an integral float such as ``300.0`` is accepted)."""
        value = self.data.get(key, _MISSING)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "an integer", value)
        if isinstance(value, float):
            if not value.is_integer():
                raise self.fail(key, "an integer", value)
            return int(value)
        return value

    def opt_int(self, key: str, default: int) -> int:
        """An optional integer with a default for absent/null."""
        return default if self.data.get(key) is None else self.int_(key)

    def opt_float(self, key: str) -> float | None:
        """An optional number."""
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.fail(key, "a number", value)
        try:
            return float(value)
        except OverflowError:  # an int of hundreds of digits
            raise self.fail(key, "a number within float range", value) from None

    def opt_bool(self, key: str, default: bool) -> bool:
        """An optional boolean with a default for absent/null."""
        value = self.data.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.fail(key, "a boolean", value)
        return value

    def mapping(self, key: str) -> dict[str, Any]:
        """A required JSON object (returned as a plain dict)."""
        value = self.data.get(key, _MISSING)
        if not isinstance(value, Mapping):
            raise self.fail(key, "an object", value)
        return dict(value)

    def opt_mapping(self, key: str) -> dict[str, Any] | None:
        """An optional JSON object."""
        return None if self.data.get(key) is None else self.mapping(key)

    def sub(self, key: str) -> FieldReader | None:
        """A reader for the nested object ``key`` (None when absent or null)."""
        value = self.opt_mapping(key)
        return None if value is None else FieldReader(value, self.event_type, self._name(key))

    def list_of_mappings(self, key: str) -> tuple[dict[str, Any], ...]:
        """A required list of JSON objects."""
        value = self.data.get(key, _MISSING)
        if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
            raise self.fail(key, "a list of objects", value)
        return tuple(dict(v) for v in value)

    def opt_str_tuple(self, key: str) -> tuple[str, ...] | None:
        """An optional list of strings, as a tuple."""
        value = self.data.get(key)
        if value is None:
            return None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(key, "a list of strings", value)
        return tuple(value)

    def audio(self, key: str) -> bytes:
        """A required base64 string decoded to bytes (PCM16 audio)."""
        text = self.str_(key)
        try:
            return base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise self.fail(key, "base64 audio", text) from None


class _Missing:
    def __repr__(self) -> str:
        return "<missing>"


_MISSING: Any = _Missing()


def item_to_preview(item: Mapping[str, Any]) -> dict[str, Any]:
    """Rename neutral (GA) assistant content types to preview names (a copy).

    ``output_audio`` becomes ``audio`` and ``output_text`` becomes ``text``.
    """
    if item.get("role") != "assistant":
        return dict(item)
    return _rename_content(item, _GA_TO_PREVIEW_CONTENT)


def item_from_wire(item: Mapping[str, Any]) -> dict[str, Any]:
    """Normalise an item from either dialect to the neutral (GA) content type names."""
    if item.get("role") != "assistant":
        return dict(item)
    return _rename_content(item, _PREVIEW_TO_GA_CONTENT)


def _rename_content(item: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, Any]:
    out = dict(item)
    content = item.get("content")
    if isinstance(content, list):
        renamed: list[Any] = []
        for part in content:
            if isinstance(part, Mapping) and part.get("type") in names:
                part = {**part, "type": names[part["type"]]}
            renamed.append(part)
        out["content"] = renamed
    return out
