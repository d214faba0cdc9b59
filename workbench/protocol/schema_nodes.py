"""The small schema language of the reference (:mod:`workbench.protocol.reference_schema`).

A schema is a tree of frozen nodes: ``Str``, ``Int``, ``Num``, ``Bool``, ``Arr``, ``Obj``
(a closed object: every key is declared), ``Map`` (an open object such as a tool's JSON
``parameters``), ``Tagged`` (a union discriminated by one key, like ``type``) and
``AnyOf`` (an undiscriminated union such as ``integer | "inf"``). Each key of an
``Obj`` is a :class:`Field` saying whether it is required (always present) and
whether it may be ``null``.

Why not JSON Schema: the service's unions are discriminated by ``type`` and its errors
name one parameter with one code (``unknown_parameter``, ``invalid_value`` …).
``jsonschema`` reports a failed ``oneOf`` as one opaque mismatch of the whole union, so
the mock could not answer with the service's ``param``; these nodes are walked by
:mod:`workbench.protocol.strict_validator`, which can.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeAlias


@dataclass(frozen=True, slots=True, eq=False)
class Str:
    """A string; ``enum`` limits the values, ``max_length`` the length (characters)."""

    enum: tuple[str, ...] | None = None
    max_length: int | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Int:
    """An integer (JSON number without a fraction); bounds are inclusive."""

    minimum: int | None = None
    maximum: int | None = None
    enum: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Num:
    """Any JSON number; bounds are inclusive."""

    minimum: float | None = None
    maximum: float | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Bool:
    """``true`` or ``false``."""


@dataclass(frozen=True, slots=True, eq=False)
class Arr:
    """A JSON array whose items all match ``items``."""

    items: Node
    max_items: int | None = None


@dataclass(frozen=True, slots=True, eq=False)
class Map:
    """An open JSON object: any keys; values match ``values`` (``None``: any JSON)."""

    values: Node | None = None


@dataclass(frozen=True, slots=True, eq=False)
class AnyJson:
    """Any JSON value (object, array, string, number, boolean)."""


@dataclass(frozen=True, slots=True, eq=False)
class Field:
    """One key of an :class:`Obj`.

    ``required``: the key is always present (server events) / must be sent (client
    events). ``nullable``: ``null`` is a valid value.
    """

    node: Node
    required: bool = True
    nullable: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Obj:
    """A closed JSON object: keys not in ``fields`` are errors (``unknown_parameter``)."""

    fields: Mapping[str, Field] = field(default_factory=dict)

    def extend(self, **fields: Field) -> Obj:
        """A copy with more (or replaced) fields."""
        return Obj({**self.fields, **fields})

    def without(self, *names: str) -> Obj:
        """A copy without the named fields."""
        return Obj({k: v for k, v in self.fields.items() if k not in names})


@dataclass(frozen=True, slots=True, eq=False)
class Tagged:
    """An object union discriminated by the string at ``key`` (``type`` usually).

    A variant is an :class:`Obj` or another ``Tagged`` (a message item is tagged by
    ``type`` and then by ``role``).
    ``default`` is the variant used when the key is absent (``None``: the key is
    required).
    """

    key: str
    variants: Mapping[str, Node]
    default: str | None = None


@dataclass(frozen=True, slots=True, eq=False)
class AnyOf:
    """The value matches one of ``options`` (tried in order)."""

    options: tuple[Node, ...]


Node: TypeAlias = Str | Int | Num | Bool | Arr | Map | AnyJson | Obj | Tagged | AnyOf


def req(node: Node) -> Field:
    """A required, non-null field."""
    return Field(node, required=True, nullable=False)


def req_null(node: Node) -> Field:
    """A required field that may be ``null`` (the service sends it as ``null`` when unset)."""
    return Field(node, required=True, nullable=True)


def opt(node: Node) -> Field:
    """An optional, non-null field."""
    return Field(node, required=False, nullable=False)


def opt_null(node: Node) -> Field:
    """An optional field that may be ``null``."""
    return Field(node, required=False, nullable=True)


def const(value: str) -> Str:
    """A string that can only be ``value``."""
    return Str(enum=(value,))


def one_of(*values: str) -> Str:
    """A string enum."""
    return Str(enum=values)


def obj(**fields: Field) -> Obj:
    """A closed object from keyword fields."""
    return Obj(fields)


STR = Str()
INT = Int()
NUM = Num()
BOOL = Bool()
