"""A strict validator of wire events against the reference schema (pure, no I/O).

``validate_server_event(data, dialect)`` and ``validate_client_event(data, dialect)``
return every :class:`Violation` (empty list: valid): a required key missing, a key the
reference does not declare, a value outside its enum, a wrong JSON type, a number or
length out of range. Each violation carries the service's error ``code`` and ``param``
(``session.audio.output.voice``, ``session.tools[0].name``) and a message in the
service's words (``Unknown parameter: 'session.temperature'.``), so the mock answers
a bad client event exactly with the first violation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from workbench.protocol.json_codec import Dialect
from workbench.protocol.reference_schema import client_event_schema, server_event_schema
from workbench.protocol.reference_schema import client_event_types as client_event_types
from workbench.protocol.reference_schema import server_event_types as server_event_types
from workbench.protocol.schema_nodes import (
    AnyJson,
    AnyOf,
    Arr,
    Bool,
    Int,
    Map,
    Node,
    Num,
    Obj,
    Str,
    Tagged,
)


@dataclass(frozen=True, slots=True)
class Violation:
    """One way a wire value breaks the reference.

    Attributes
    ----------
    code : str
        The service's error code: ``missing_required_parameter``, ``unknown_parameter``,
        ``invalid_value``, ``invalid_type``, ``integer_below_min_value``,
        ``decimal_above_max_value``, ``string_above_max_length`` …
    param : str
        Dotted path of the bad value from the event root (``session.tools[0].name``).
    message : str
        The service's wording, e.g. ``Missing required parameter: 'session.type'.``
    """

    code: str
    param: str
    message: str


def quote_list(values: Sequence[object]) -> str:
    """``'a', 'b', and 'c'`` (the service's list style; numbers unquoted)."""
    shown = [repr(v) if isinstance(v, str) else str(v) for v in values]
    if len(shown) <= 1:
        return "".join(shown)
    if len(shown) == 2:
        return f"{shown[0]} and {shown[1]}"
    return ", ".join(shown[:-1]) + f", and {shown[-1]}"


def _json_kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a decimal"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, Mapping):
        return "an object"
    return type(value).__name__


_EXPECTED = {
    Str: "a string",
    Int: "an integer",
    Num: "a decimal",
    Bool: "a boolean",
    Arr: "an array",
    Map: "an object",
    Obj: "an object",
    Tagged: "an object",
}


def _type_error(path: str, expected: str, value: object) -> Violation:
    return Violation(
        "invalid_type",
        path,
        f"Invalid type for '{path}': expected {expected}, but got {_json_kind(value)} instead.",
    )


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check(value: Any, node: Node, path: str) -> list[Violation]:
    """Every violation of ``value`` against ``node`` (``path`` names ``value``).

    Parameters
    ----------
    value : Any
        A JSON value (as ``json.loads`` returns it).
    node : Node
        The schema node it must match.
    path : str
        Its dotted path from the event root ("" for the event itself).

    Returns
    -------
    list[Violation]
        In document order; empty when ``value`` matches.
    """
    match node:
        case Str():
            return _check_str(value, node, path)
        case Int() | Num():
            return _check_number(value, node, path)
        case Bool():
            return [] if isinstance(value, bool) else [_type_error(path, "a boolean", value)]
        case AnyJson():
            return []
        case Arr():
            if not isinstance(value, list):
                return [_type_error(path, "an array", value)]
            out: list[Violation] = []
            if node.max_items is not None and len(value) > node.max_items:
                out.append(
                    Violation(
                        "array_above_max_length",
                        path,
                        f"Invalid '{path}': array too long. Expected an array with maximum "
                        f"length {node.max_items}, but got an array with length {len(value)} "
                        "instead.",
                    )
                )
            for i, item in enumerate(value):
                out.extend(check(item, node.items, f"{path}[{i}]"))
            return out
        case Map():
            if not isinstance(value, Mapping):
                return [_type_error(path, "an object", value)]
            if node.values is None:
                return []
            return [
                v for k, item in value.items() for v in check(item, node.values, _join(path, k))
            ]
        case Obj():
            return _check_obj(value, node, path)
        case Tagged():
            return _check_tagged(value, node, path)
        case AnyOf():
            return _check_any_of(value, node, path)
    raise TypeError(f"not a schema node: {node!r}")


def _check_str(value: Any, node: Str, path: str) -> list[Violation]:
    if not isinstance(value, str):
        return [_type_error(path, "a string", value)]
    if node.enum is not None and value not in node.enum:
        return [
            Violation(
                "invalid_value",
                path,
                f"Invalid value: {value!r}. Supported values are: {quote_list(node.enum)}.",
            )
        ]
    if node.max_length is not None and len(value) > node.max_length:
        return [
            Violation(
                "string_above_max_length",
                path,
                f"Invalid '{path}': string too long. Expected a string with maximum length "
                f"{node.max_length}, but got a string with length {len(value)} instead.",
            )
        ]
    return []


def _check_number(value: Any, node: Int | Num, path: str) -> list[Violation]:
    integral = isinstance(node, Int)
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    if not is_number or (integral and isinstance(value, float) and not value.is_integer()):
        return [_type_error(path, "an integer" if integral else "a decimal", value)]
    kind = "integer" if integral else "decimal"
    if isinstance(node, Int) and node.enum is not None and value not in node.enum:
        return [
            Violation(
                "invalid_value",
                path,
                f"Invalid value: {value}. Supported values are: {quote_list(node.enum)}.",
            )
        ]
    if node.minimum is not None and value < node.minimum:
        return [
            Violation(
                f"{kind}_below_min_value",
                path,
                f"Invalid '{path}': {kind} below minimum value. Expected a value >= "
                f"{node.minimum}, but got {value} instead.",
            )
        ]
    if node.maximum is not None and value > node.maximum:
        return [
            Violation(
                f"{kind}_above_max_value",
                path,
                f"Invalid '{path}': {kind} above maximum value. Expected a value <= "
                f"{node.maximum}, but got {value} instead.",
            )
        ]
    return []


def _check_obj(value: Any, node: Obj, path: str) -> list[Violation]:
    if not isinstance(value, Mapping):
        return [_type_error(path, "an object", value)]
    out: list[Violation] = []
    for key, item in value.items():
        name = _join(path, str(key))
        spec = node.fields.get(key)
        if spec is None:
            out.append(Violation("unknown_parameter", name, f"Unknown parameter: '{name}'."))
        elif item is None:
            if not spec.nullable:
                expected = _EXPECTED.get(type(spec.node), "a value")
                out.append(_type_error(name, expected, None))
        else:
            out.extend(check(item, spec.node, name))
    for key, spec in node.fields.items():
        if spec.required and key not in value:
            name = _join(path, key)
            out.append(
                Violation(
                    "missing_required_parameter", name, f"Missing required parameter: '{name}'."
                )
            )
    return out


def _check_tagged(value: Any, node: Tagged, path: str) -> list[Violation]:
    if not isinstance(value, Mapping):
        return [_type_error(path, "an object", value)]
    name = _join(path, node.key)
    tag = value.get(node.key, node.default)
    if tag is None:
        return [
            Violation("missing_required_parameter", name, f"Missing required parameter: '{name}'.")
        ]
    if not isinstance(tag, str):
        return [_type_error(name, "a string", tag)]
    variant = node.variants.get(tag)
    if variant is None:
        supported = quote_list(tuple(node.variants))
        return [
            Violation(
                "invalid_value", name, f"Invalid value: {tag!r}. Supported values are: {supported}."
            )
        ]
    if node.key not in value:  # the default variant: its tag is implied
        value = {**value, node.key: tag}
    return check(value, variant, path)


def _check_any_of(value: Any, node: AnyOf, path: str) -> list[Violation]:
    first: list[Violation] | None = None
    for option in node.options:
        found = check(value, option, path)
        if not found:
            return []
        same_kind = not any(v.code == "invalid_type" and v.param == path for v in found)
        if first is None and same_kind:
            first = found  # the option of the value's JSON type explains best
    if first is not None:
        return first
    expected = " or ".join(dict.fromkeys(_EXPECTED.get(type(o), "a value") for o in node.options))
    return [_type_error(path, expected, value)]


def _event_type(data: Mapping[str, Any]) -> Violation | str:
    event_type = data.get("type")
    if event_type is None:
        return Violation(
            "missing_required_parameter", "type", "Missing required parameter: 'type'."
        )
    if not isinstance(event_type, str):
        return _type_error("type", "a string", event_type)
    return event_type


def validate_server_event(data: Mapping[str, Any], dialect: Dialect) -> list[Violation]:
    """Violations of one server event (a parsed JSON object) against the reference.

    Parameters
    ----------
    data : Mapping[str, Any]
        The event as received.
    dialect : Dialect
        The connection's dialect; the GA and preview references differ.

    Returns
    -------
    list[Violation]
        Empty when the event is exactly as the reference describes it. An event type the
        reference does not list is one ``invalid_value`` violation at ``type``.
    """
    found = _event_type(data)
    if isinstance(found, Violation):
        return [found]
    schema = server_event_schema(dialect, found)
    if schema is None:
        supported = quote_list(server_event_types(dialect))
        message = f"Invalid value: {found!r}. Supported values are: {supported}."
        return [Violation("invalid_value", "type", message)]
    return check(data, schema, "")


def validate_client_event(data: Mapping[str, Any], dialect: Dialect) -> list[Violation]:
    """Violations of one client event against the reference (see ``validate_server_event``)."""
    found = _event_type(data)
    if isinstance(found, Violation):
        return [found]
    schema = client_event_schema(dialect, found)
    if schema is None:
        supported = quote_list(client_event_types(dialect))
        message = f"Invalid value: {found!r}. Supported values are: {supported}."
        return [Violation("invalid_value", "type", message)]
    return check(data, schema, "")
