"""The mock session's settings: defaults, ``session.update`` merging, per-response values.

Pure functions over :class:`~workbench.protocol.settings.SessionSettings`; the model
keeps one current value and replaces it on every accepted ``session.update``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, replace
from typing import Any

from workbench.protocol import events as pe
from workbench.protocol.json_codec import Dialect, FieldReader
from workbench.protocol.session_codec import SERVER_DEFAULTS, session_from_wire
from workbench.protocol.settings import AudioFormatName, FunctionTool, SessionSettings

#: The session length the service reports in ``expires_at`` when no cap is configured
#: (the service caps realtime sessions at 30-60 minutes).
DEFAULT_SESSION_LENGTH_S = 30 * 60.0


def default_session(model: str) -> SessionSettings:
    """The settings of a fresh session: the service's defaults (server VAD on)."""
    return replace(SERVER_DEFAULTS, model=model)


def merge_session(current: SessionSettings, update: SessionSettings) -> SessionSettings:
    """``current`` with every field ``update`` sets (``None`` leaves a field as it is).

    ``model`` is fixed by the connection's URL and never changes.
    """
    changes = {
        f.name: getattr(update, f.name)
        for f in fields(SessionSettings)
        if f.name != "model" and getattr(update, f.name) is not None
    }
    return replace(current, **changes)


def response_overrides(params: Mapping[str, Any] | None) -> SessionSettings:
    """The session-like overrides of ``response.create`` (either dialect's shape)."""
    if not params:
        return SessionSettings()
    return session_from_wire(FieldReader(params, "response.create", "response"))


def response_settings(
    session: SessionSettings,
    params: Mapping[str, Any] | None,
    dialect: Dialect,
    conversation_id: str,
) -> pe.ResponseSettings:
    """What the ``response`` object of a response created with ``params`` reports."""
    effective = merge_session(session, response_overrides(params))
    in_conversation = not (params and params.get("conversation") == "none")
    modalities = effective.output_modalities or ("audio",)
    fmt: AudioFormatName = effective.output_audio_format or "pcm16"
    return pe.ResponseSettings(
        output_modalities=("text",) if "audio" not in modalities else ("audio",),
        voice=effective.voice or "alloy",
        output_audio_format=fmt,
        temperature=0.8 if effective.temperature is None else effective.temperature,
        max_output_tokens=effective.max_output_tokens or "inf",
        conversation_id=conversation_id if in_conversation else None,
    )


def response_tools(
    session: SessionSettings, params: Mapping[str, Any] | None
) -> tuple[tuple[FunctionTool, ...], object]:
    """The function tools and ``tool_choice`` a response may use (overrides first)."""
    effective = merge_session(session, response_overrides(params))
    return effective.tools or (), effective.tool_choice or "auto"
