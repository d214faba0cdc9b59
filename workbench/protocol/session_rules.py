"""What the service refuses in session settings beyond the schema, and one check of them all.

The reference schema (:mod:`workbench.protocol.reference_schema`, checked by
:func:`~workbench.protocol.strict_validator.validate_client_event`) says which keys,
enums, types and ranges exist. A few rules it cannot say are here, once, for both the
mock (which answers a client that breaks them with the service's error) and the relay
(which refuses its own settings before connecting, rather than meeting the error
mid-session):

- the output modality *combinations* each dialect accepts;
- function names (letters, digits, ``_`` and ``-``);
- ``temperature`` exists only in the preview dialect: the GA encoder drops it, so
  :func:`session_violations` reports it instead of letting it vanish silently.

Pure functions of wire dicts and typed settings; no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

from workbench.protocol.client_codec import encode_client_event
from workbench.protocol.client_events import SessionUpdate
from workbench.protocol.json_codec import Dialect
from workbench.protocol.settings import SessionSettings
from workbench.protocol.strict_validator import Violation, validate_client_event

#: Output modality combinations each dialect accepts (order does not matter).
MODALITY_COMBINATIONS: Final[Mapping[Dialect, tuple[tuple[str, ...], ...]]] = {
    Dialect.GA: (("audio",), ("text",)),
    Dialect.PREVIEW: (("text",), ("audio", "text")),
}
#: The service's function-name rule (the OpenAI APIs' pattern for function names).
TOOL_NAME_PATTERN: Final = re.compile(r"^[a-zA-Z0-9_-]+$")


def modalities_key(dialect: Dialect) -> str:
    """The wire key of output modalities: GA ``output_modalities``, preview ``modalities``."""
    return "output_modalities" if dialect is Dialect.GA else "modalities"


def modalities_violation(modalities: object, param: str, dialect: Dialect) -> Violation | None:
    """The error of a modality list the dialect does not accept as a combination.

    Parameters
    ----------
    modalities : object
        The wire value (only lists are judged; the schema checks the type and enum).
    param : str
        Where it is, e.g. ``session.output_modalities``.
    dialect : Dialect
        The connection's dialect.
    """
    if not isinstance(modalities, list):
        return None
    accepted = MODALITY_COMBINATIONS[dialect]
    if sorted(map(str, modalities)) in [sorted(combo) for combo in accepted]:
        return None
    shown = " and ".join(str(list(combo)) for combo in accepted)
    return Violation(
        "invalid_value",
        param,
        f"Invalid modalities: {modalities}. Supported combinations are: {shown}.",
    )


def tool_name_violation(name: object, param: str) -> Violation | None:
    """The error of a function name outside the service's pattern (None if fine)."""
    if not isinstance(name, str) or TOOL_NAME_PATTERN.match(name):
        return None
    return Violation(
        "invalid_value",
        param,
        f"Invalid '{param}': string does not match pattern. Expected a string that "
        "matches the pattern '^[a-zA-Z0-9_-]+$'.",
    )


def params_violations(params: Mapping[str, Any], path: str, dialect: Dialect) -> list[Violation]:
    """The rules beyond the schema for a session object or ``response.create`` overrides.

    Parameters
    ----------
    params : Mapping[str, Any]
        The ``session`` (or ``response``) object as on the wire.
    path : str
        Its param prefix: ``session`` or ``response``.
    dialect : Dialect
        The connection's dialect.

    Returns
    -------
    list[Violation]
        Modality combinations first, then tool names, in order.
    """
    out: list[Violation] = []
    key = modalities_key(dialect)
    found = modalities_violation(params.get(key), f"{path}.{key}", dialect)
    if found is not None:
        out.append(found)
    tools = params.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, list) else []):
        name = tool.get("name") if isinstance(tool, Mapping) else None
        found = tool_name_violation(name, f"{path}.tools[{i}].name")
        if found is not None:
            out.append(found)
    return out


def session_violations(settings: SessionSettings, dialect: Dialect) -> list[Violation]:
    """Every reason the service would refuse ``session.update`` with ``settings``.

    The settings are encoded as the relay sends them, checked against the strict
    reference (voices, formats, ranges, lengths, tool definitions) and the rules above.

    Parameters
    ----------
    settings : SessionSettings
        What a client is about to send.
    dialect : Dialect
        The dialect it will be sent in.

    Returns
    -------
    list[Violation]
        Empty when the service accepts them; otherwise every problem, each with the
        service's ``code``, ``param`` (``session.audio.output.voice``) and message.
    """
    out: list[Violation] = []
    if dialect is Dialect.GA and settings.temperature is not None:
        out.append(
            Violation(
                "unknown_parameter",
                "session.temperature",
                "Unknown parameter: 'session.temperature'.",
            )
        )
    wire = encode_client_event(SessionUpdate(settings), dialect)
    out += validate_client_event(wire, dialect)
    out += params_violations(wire["session"], "session", dialect)
    return out
