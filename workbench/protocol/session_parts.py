"""Pieces of a session object on the wire: audio formats, tools, tool choice, modalities.

Both directions, both dialects; used by :mod:`workbench.protocol.session_codec`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbench.protocol.json_codec import Dialect, FieldReader
from workbench.protocol.settings import (
    AUDIO_FORMAT_NAMES,
    AudioFormatName,
    FunctionTool,
    MaxOutputTokens,
    ToolChoice,
    ToolChoiceFunction,
)

GA_FORMATS: dict[str, dict[str, Any]] = {
    "pcm16": {"type": "audio/pcm", "rate": 24000},
    "g711_ulaw": {"type": "audio/pcmu"},
    "g711_alaw": {"type": "audio/pcma"},
}
_GA_FORMAT_NAMES = {"audio/pcm": "pcm16", "audio/pcmu": "g711_ulaw", "audio/pcma": "g711_alaw"}


def tool_to_wire(tool: FunctionTool) -> dict[str, Any]:
    """A function tool definition on the wire (both dialects)."""
    return {
        "type": "function",
        "name": tool.name,
        "description": tool.description,
        "parameters": dict(tool.parameters),
    }


def tool_choice_to_wire(choice: ToolChoice) -> str | dict[str, Any]:
    """``"auto"`` / ``"none"`` / ``"required"`` or ``{"type": "function", "name": ...}``."""
    if isinstance(choice, ToolChoiceFunction):
        return {"type": "function", "name": choice.name}
    return choice


def format_to_wire(name: AudioFormatName, dialect: Dialect) -> str | dict[str, Any]:
    """An audio format's wire form: GA ``{"type": "audio/pcmu"}``, preview ``"g711_ulaw"``."""
    return dict(GA_FORMATS[name]) if dialect is Dialect.GA else name


def modalities_to_wire(modalities: tuple[str, ...], dialect: Dialect) -> list[str]:
    """Neutral output modalities on the wire (see the module docstring)."""
    if dialect is Dialect.PREVIEW and "audio" in modalities:
        return ["text", "audio"]
    return list(modalities)


def format_from_wire(
    holder: FieldReader | None, reader: FieldReader, side: str
) -> AudioFormatName | None:
    if holder is not None and holder.raw("format") is not None:
        fmt = holder.sub("format")
        assert fmt is not None
        kind = fmt.opt_str("type") or "audio/pcm"
        if kind not in _GA_FORMAT_NAMES:
            raise fmt.fail("type", "'audio/pcm', 'audio/pcmu' or 'audio/pcma'", kind)
        return _GA_FORMAT_NAMES[kind]  # type: ignore[return-value]  # a format name
    name = reader.opt_str(f"{side}_audio_format")
    if name is None:
        return None
    if name not in AUDIO_FORMAT_NAMES:
        raise reader.fail(f"{side}_audio_format", "'pcm16', 'g711_ulaw' or 'g711_alaw'", name)
    return name  # type: ignore[return-value]  # checked just above


def tools_from_wire(reader: FieldReader) -> tuple[FunctionTool, ...] | None:
    """The function tools of a session or response (None when absent)."""
    if reader.raw("tools") is None:
        return None
    out: list[FunctionTool] = []
    for i, raw in enumerate(reader.list_of_mappings("tools")):
        tool = FieldReader(raw, reader.event_type, f"{reader.path}.tools[{i}]".lstrip("."))
        parameters = tool.opt_mapping("parameters")
        out.append(
            FunctionTool(
                name=tool.str_("name"),
                description=tool.opt_str("description") or "",
                parameters=parameters if parameters is not None else {"type": "object"},
            )
        )
    return tuple(out)


def tool_choice_from_wire(reader: FieldReader) -> ToolChoice | None:
    """``tool_choice``: a mode or a named function (None when absent)."""
    raw = reader.raw("tool_choice")
    if raw is None:
        return None
    if isinstance(raw, Mapping):
        sub = reader.sub("tool_choice")
        assert sub is not None
        return ToolChoiceFunction(sub.str_("name"))
    choice = reader.str_("tool_choice")
    if choice not in ("auto", "none", "required"):
        raise reader.fail("tool_choice", "auto, none, required or a function", choice)
    return choice  # type: ignore[return-value]  # checked just above


def max_tokens_from_wire(reader: FieldReader, value: Any) -> MaxOutputTokens | None:
    """``max_output_tokens`` / ``max_response_output_tokens``: an integer or ``"inf"``."""
    if value is None:
        return None
    if value == "inf":
        return "inf"
    if isinstance(value, bool) or not isinstance(value, int):
        raise reader.fail("max_output_tokens", "an integer or 'inf'", value)
    return value


def voice_from_wire(reader: FieldReader) -> str:
    """The voice: a name, or a GA custom voice ``{"id": ...}``'s id."""
    value = reader.raw("voice")
    if isinstance(value, Mapping):
        sub = reader.sub("voice")
        assert sub is not None
        return sub.str_("id")
    return reader.str_("voice")
