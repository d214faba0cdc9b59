"""Reading untrusted JSON from the browser: each field type- and size-checked.

Payloads of Gradio events sent by our browser code (the realtime audio component, the
page tap) are parsed with these readers; a bad field raises :class:`PayloadError`
naming it, never a ``KeyError`` deep inside a handler. Pure: no Gradio, no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from workbench.errors import WorkbenchError


class PayloadError(WorkbenchError):
    """An event payload from the browser that is not what the component sends."""

    code = "bad_event_payload"
    http_status = 400


def read_mapping(data: object, where: str) -> Mapping[str, Any]:
    """``data`` as a JSON object (``where`` names it in the error)."""
    if not isinstance(data, Mapping):
        raise PayloadError(f"{where} must be an object, got {type(data).__name__}")
    return data


def read_text(data: Mapping[str, Any], key: str, max_chars: int, *, optional: bool = False) -> Any:
    """``data[key]``: a string of at most ``max_chars`` (None when optional and absent)."""
    value = data.get(key)
    if value is None and optional:
        return None
    if not isinstance(value, str) or len(value) > max_chars:
        raise PayloadError(f"{key} must be a string of at most {max_chars} characters")
    return value


def read_number(data: Mapping[str, Any], key: str, *, optional: bool = True) -> float | None:
    """``data[key]``: a finite number (not a bool), as float; None when optional and absent."""
    value = data.get(key)
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise PayloadError(f"{key} must be a finite number, got {value!r:.40}")
    return float(value)


def read_flag(data: Mapping[str, Any], key: str) -> bool:
    """``data[key]``: true or false (absent: false)."""
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise PayloadError(f"{key} must be true or false, got {value!r:.40}")
    return value


def read_choice(data: Mapping[str, Any], key: str, choices: tuple[str, ...]) -> Any:
    """``data[key]``: one of ``choices``."""
    value = data.get(key)
    if value not in choices:
        raise PayloadError(f"{key} must be one of {', '.join(choices)}, got {value!r:.40}")
    return value


def read_count(data: Mapping[str, Any], key: str) -> int | None:
    """``data[key]``: a count (numbers below 0 read as 0); None when absent."""
    value = read_number(data, key)
    return None if value is None else max(0, int(value))
