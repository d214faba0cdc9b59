"""Client events checked like the service checks them, before the mock acts on them.

Two layers, both pure:

1. the strict reference (:func:`workbench.protocol.strict_validator.validate_client_event`):
   required keys, unknown keys (``temperature`` in a GA session, a preview-shaped
   session on a GA connection …), enums (voices, audio formats and rates, modalities,
   turn detection types, tool types), types and ranges (temperature 0.6-1.2 in preview,
   VAD threshold 0-1, ``idle_timeout_ms`` 5000-30000, ``max_output_tokens`` 1-4096),
   lengths (``instructions``, tool names);
2. rules the schema cannot say (:func:`semantic_error`): the modality combinations the
   service accepts and tool name characters (shared with the relay:
   :mod:`workbench.protocol.session_rules`), a voice change after assistant audio, base64
   item audio (an append's audio is checked as it is decoded), and what the mock does
   not serve (transcription-only sessions,
   ``output_audio_buffer.clear`` over a WebSocket).

The first problem found becomes the service's error object: ``type``
``invalid_request_error``, the violation's ``code`` and ``param``, and the client's
``event_id``.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from workbench.mock.service_errors import INVALID_REQUEST
from workbench.protocol.events import ErrorInfo
from workbench.protocol.json_codec import Dialect
from workbench.protocol.session_rules import params_violations
from workbench.protocol.strict_validator import Violation, validate_client_event

_EVENT_ID_IN_TEXT = re.compile(r'"event_id"\s*:\s*"((?:[^"\\]|\\.){0,512})"')


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """What the rules need to know about the session (beyond the event itself)."""

    voice: str
    assistant_audio_sent: bool


def event_id_of(data: Mapping[str, Any]) -> str | None:
    """The client's ``event_id`` when it is a string (errors echo it back)."""
    value = data.get("event_id")
    return value if isinstance(value, str) else None


def recover_event_id(text: str | bytes) -> str | None:
    """The ``event_id`` of a frame that is not valid JSON, when it can still be read."""
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    match = _EVENT_ID_IN_TEXT.search(text[:65_536])
    return match.group(1) if match else None


def to_error(violation: Violation, event_id: str | None) -> ErrorInfo:
    """The service's error object for one violation."""
    return ErrorInfo(
        type=INVALID_REQUEST,
        code=violation.code,
        message=violation.message,
        param=violation.param or None,
        event_id=event_id,
    )


def check_client_event(
    data: Mapping[str, Any], dialect: Dialect, facts: SessionFacts
) -> ErrorInfo | None:
    """The error the service would answer ``data`` with, or None when it is acceptable.

    Parameters
    ----------
    data : Mapping[str, Any]
        The client event as parsed from its frame.
    dialect : Dialect
        The connection's dialect (fixed by its URL; an event never changes it).
    facts : SessionFacts
        The current voice and whether assistant audio was already sent.

    Returns
    -------
    ErrorInfo or None
    """
    event_id = event_id_of(data)
    if "type" not in data:
        # The reference's own example of a client error.
        return ErrorInfo(
            INVALID_REQUEST, "The 'type' field is missing.", "invalid_event", None, event_id
        )
    violations = validate_client_event(data, dialect)
    if violations:
        return to_error(violations[0], event_id)
    violation = semantic_error(data, dialect, facts)
    return None if violation is None else to_error(violation, event_id)


def semantic_error(
    data: Mapping[str, Any], dialect: Dialect, facts: SessionFacts
) -> Violation | None:
    """The first rule (beyond the schema) that ``data`` breaks, or None."""
    event_type = data["type"]
    # An append's base64 is checked when it is decoded (once: it is the hot path).
    if event_type == "output_audio_buffer.clear":
        return Violation(
            "invalid_value",
            "type",
            "output_audio_buffer.clear is only supported for WebRTC and SIP sessions.",
        )
    if event_type == "transcription_session.update":
        return _realtime_only("type")
    if event_type == "session.update":
        return _session_error(data["session"], dialect, facts)
    if event_type == "response.create" and isinstance(data.get("response"), Mapping):
        return _params_error(data["response"], "response", dialect)
    if event_type == "conversation.item.create":
        return _item_error(data["item"])
    return None


def _session_error(
    session: Mapping[str, Any], dialect: Dialect, facts: SessionFacts
) -> Violation | None:
    if session.get("type") == "transcription":
        return _realtime_only("session.type")
    found = _params_error(session, "session", dialect)
    if found is not None:
        return found
    voice = _voice(session, dialect)
    if voice is not None and voice != facts.voice and facts.assistant_audio_sent:
        # The service leaves param null here.
        return Violation(
            "cannot_update_voice",
            "",
            "Cannot update a conversation's voice if assistant audio is present.",
        )
    return None


def _params_error(params: Mapping[str, Any], path: str, dialect: Dialect) -> Violation | None:
    """Modalities and tool names of a session or of ``response.create`` overrides."""
    found = params_violations(params, path, dialect)
    return found[0] if found else None


def _item_error(item: Mapping[str, Any]) -> Violation | None:
    content = item.get("content")
    for i, part in enumerate(content if isinstance(content, list) else []):
        if isinstance(part, Mapping) and isinstance(part.get("audio"), str):
            found = _base64_error(part["audio"], f"item.content[{i}].audio")
            if found is not None:
                return found
    return None


def base64_violation(param: str) -> Violation:
    """The error of audio that is not base64 (``audio``, ``item.content[0].audio``)."""
    return Violation(
        "invalid_value", param, f"Invalid '{param}': expected base64-encoded audio bytes."
    )


def _base64_error(text: str, param: str) -> Violation | None:
    try:
        base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return base64_violation(param)
    return None


def _voice(session: Mapping[str, Any], dialect: Dialect) -> str | None:
    if dialect is Dialect.PREVIEW:
        voice = session.get("voice")
    else:
        audio = session.get("audio")
        output = audio.get("output") if isinstance(audio, Mapping) else None
        voice = output.get("voice") if isinstance(output, Mapping) else None
        if isinstance(voice, Mapping):
            voice = voice.get("id")
    return voice if isinstance(voice, str) else None


def _realtime_only(param: str) -> Violation:
    return Violation(
        "invalid_value",
        param,
        "The mock serves realtime sessions only; transcription sessions are not modelled.",
    )
