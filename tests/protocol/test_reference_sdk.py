"""The strict reference is built from the installed openai SDK's models (and the API reference).

For every event of both dialects and directions: the SDK has the event; every key the
reference declares exists in the SDK's model (except the few the published reference
adds, listed with their reason); every key the SDK's model has is declared (so a strict
client never rejects a key the service may send); every closed enum equals the SDK's
``Literal``.
"""

from __future__ import annotations

import types
import typing
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import pydantic
import pytest
from openai.types.beta.realtime import RealtimeClientEvent as PreviewClientEvent
from openai.types.beta.realtime import RealtimeServerEvent as PreviewServerEvent
from openai.types.realtime import RealtimeClientEvent as GaClientEvent
from openai.types.realtime import RealtimeServerEvent as GaServerEvent

from workbench.protocol.json_codec import Dialect
from workbench.protocol.reference_schema import (
    client_event_schema,
    client_event_types,
    server_event_schema,
    server_event_types,
)
from workbench.protocol.schema_nodes import AnyOf, Arr, Node, Obj, Str, Tagged

# Keys of the published API reference (its schemas and example payloads) that the
# installed SDK's models do not declare. Path patterns are "<event type>:<dotted path>".
REFERENCE_ONLY = {
    # The GA SDK reuses the session *request* model for session.created/updated.
    "ga:session.created:session.object",
    "ga:session.created:session.id",
    "ga:session.created:session.expires_at",
    "ga:session.updated:session.object",
    "ga:session.updated:session.id",
    "ga:session.updated:session.expires_at",
    # In the reference's example payload of the transcription delta.
    "ga:conversation.item.input_audio_transcription.delta:obfuscation",
    # The preview SDK predates these keys of the reference's preview session.
    "preview:session.created:session.object",
    "preview:session.created:session.expires_at",
    "preview:session.created:session.prompt",
    "preview:session.created:session.include",
    "preview:session.updated:session.object",
    "preview:session.updated:session.expires_at",
    "preview:session.updated:session.prompt",
    "preview:session.updated:session.include",
    "preview:session.update:session.prompt",
    "preview:session.update:session.include",
    # The preview reference and the Azure sample SDK carry the function name.
    "preview:response.function_call_arguments.done:name",
    # The transcription session update's modalities (reference) and id/object (server).
    "preview:transcription_session.update:session.modalities",
    "preview:transcription_session.updated:session.id",
    "preview:transcription_session.updated:session.object",
    "preview:transcription_session.updated:session.include",
    "preview:transcription_session.updated:session.input_audio_noise_reduction",
    # Assistant audio in response.create's input (the reference's assistant content).
    "preview:response.create:response.input[].content[].type:audio",
}
# Keys the SDK declares that the reference leaves out, with the reason.
SDK_ONLY = {
    # A transcription session's ephemeral key: never sent over a realtime socket.
    "preview:transcription_session.updated:session.client_secret",
    # The preview SDK's client session lists client_secret (ephemeral-key creation only).
    "preview:session.update:session.client_secret",
    "preview:transcription_session.update:session.client_secret",
}

_UNIONS = {
    (Dialect.GA, "server"): GaServerEvent,
    (Dialect.PREVIEW, "server"): PreviewServerEvent,
    (Dialect.GA, "client"): GaClientEvent,
    (Dialect.PREVIEW, "client"): PreviewClientEvent,
}


def _members(annotation: Any) -> list[Any]:
    """Flatten Optional/Union/Annotated into the member types."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _members(get_args(annotation)[0])
    if origin in (Union, types.UnionType):
        return [m for a in get_args(annotation) for m in _members(a)]
    return [annotation]


def _sdk_events(dialect: Dialect, direction: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in _members(_UNIONS[(dialect, direction)]):
        hints = typing.get_type_hints(model) if not _is_model(model) else None
        if _is_model(model):
            literal = model.model_fields["type"].annotation
        else:
            assert hints is not None
            literal = hints["type"]
        for value in get_args(literal):
            out[value] = model
    return out


def _is_model(tp: Any) -> bool:
    return isinstance(tp, type) and issubclass(tp, pydantic.BaseModel)


def _fields(tp: Any) -> dict[str, Any]:
    """Field name -> annotation of a pydantic model or a TypedDict."""
    if _is_model(tp):
        return {(f.alias or n): f.annotation for n, f in tp.model_fields.items()}
    return dict(typing.get_type_hints(tp))


def _literals(annotation: Any) -> set[Any] | None:
    """The Literal values of a closed annotation (None when it also allows any string)."""
    values: set[Any] = set()
    for member in _members(annotation):
        if member is type(None):
            continue
        if get_origin(member) is Literal:
            values.update(get_args(member))
        else:
            return None
    return values or None


def _containers(annotation: Any) -> list[Any]:
    """Models/TypedDicts among the members (lists unwrapped)."""
    out = []
    for member in _members(annotation):
        if get_origin(member) in (list, typing.List):  # noqa: UP006
            out.extend(_containers(get_args(member)[0]))
        elif _is_model(member) or typing.is_typeddict(member):
            out.append(member)
    return out


def _tag_of(obj: Obj, key: str) -> str | None:
    spec = obj.fields.get(key)
    if (
        spec is not None
        and isinstance(spec.node, Str)
        and spec.node.enum
        and len(spec.node.enum) == 1
    ):
        return spec.node.enum[0]
    return None


def _matching(obj: Obj, candidates: list[Any]) -> tuple[list[Any], bool]:
    """The SDK types that model ``obj`` and whether one models exactly it (not a flat
    model covering several of the reference's variants)."""
    tagged = False
    exact = True
    for key in ("type", "role"):
        tag = _tag_of(obj, key)
        if tag is None:
            continue
        hits = [c for c in candidates if tag in (_literals(_fields(c).get(key)) or set())]
        if not hits:
            continue
        tagged = True
        candidates = hits
        exact = exact and all(_literals(_fields(h).get(key)) == {tag} for h in hits)
    return candidates, len(candidates) == 1 and (exact or not tagged)


def _keys(node: Node) -> set[str]:
    """Every key any variant of ``node`` declares (for a flat SDK model)."""
    if isinstance(node, Obj):
        return set(node.fields)
    if isinstance(node, Tagged):
        return {k for v in node.variants.values() for k in _keys(v)}
    return set()


def _path(where: str, key: str) -> str:
    return f"{where}{key}" if where.endswith(":") else f"{where}.{key}"


def _compare(
    node: Node, annotation: Any, where: str, problems: list[str], flat: bool = False
) -> None:
    match node:
        case Str(enum=enum) if enum is not None:
            sdk = _literals(annotation)
            if sdk is None:
                return
            ok = set(enum) <= sdk if flat or len(enum) == 1 else set(enum) == sdk
            if not ok and f"{where}:{','.join(enum)}" not in REFERENCE_ONLY:
                problems.append(f"{where}: enum {sorted(enum)} != SDK {sorted(sdk)}")
        case Arr(items=items):
            for member in _members(annotation):
                if get_origin(member) in (list, typing.List):  # noqa: UP006
                    _compare(items, get_args(member)[0], f"{where}[]", problems, flat)
        case Tagged(key=key, variants=variants):
            models = _containers(annotation)
            if len(models) == 1 and not flat:  # one flat SDK model for every variant
                literal = _literals(_fields(models[0]).get(key))
                if literal is not None and set(variants) != literal:
                    problems.append(f"{where}.{key}: {sorted(variants)} != SDK {sorted(literal)}")
                for name in set(_fields(models[0])) - _keys(node):
                    if _path(where, name) not in SDK_ONLY:
                        problems.append(f"{_path(where, name)}: in the SDK, not declared")
            for variant in variants.values():
                _compare(variant, annotation, where, problems, flat or len(models) == 1)
        case AnyOf(options=options):
            for option in options:
                if isinstance(option, Obj | Tagged | Arr):
                    _compare(option, annotation, where, problems, flat)
        case Obj():
            candidates = _containers(annotation)
            if not candidates:
                return
            models, exact = _matching(node, candidates)
            sdk_fields: dict[str, list[Any]] = {}
            for model in models:
                for name, ann in _fields(model).items():
                    sdk_fields.setdefault(name, []).append(ann)
            for key, spec in node.fields.items():
                path = _path(where, key)
                if key not in sdk_fields:
                    if path not in REFERENCE_ONLY:
                        problems.append(f"{path}: declared by the reference, not in the SDK")
                    continue
                for ann in sdk_fields[key]:
                    _compare(spec.node, ann, path, problems, flat or not exact)
            if exact and not flat:
                for key in sdk_fields:
                    path = _path(where, key)
                    if key not in node.fields and path not in SDK_ONLY:
                        problems.append(f"{path}: in the SDK, not declared by the reference")
        case _:
            return


@pytest.mark.parametrize("direction", ["server", "client"])
@pytest.mark.parametrize("dialect", list(Dialect))
def test_every_reference_event_matches_the_sdk_model(dialect: Dialect, direction: str) -> None:
    sdk = _sdk_events(dialect, direction)
    types_ = server_event_types(dialect) if direction == "server" else client_event_types(dialect)
    lookup = server_event_schema if direction == "server" else client_event_schema
    problems: list[str] = []
    for event_type in types_:
        if event_type not in sdk:
            problems.append(f"{event_type}: not in the SDK's {dialect.value} {direction} union")
            continue
        schema = lookup(dialect, event_type)
        assert schema is not None
        _compare(schema, sdk[event_type], f"{dialect.value}:{event_type}:", problems)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("direction", ["server", "client"])
@pytest.mark.parametrize("dialect", list(Dialect))
def test_the_reference_covers_every_sdk_event(dialect: Dialect, direction: str) -> None:
    types_ = server_event_types(dialect) if direction == "server" else client_event_types(dialect)
    missing = set(_sdk_events(dialect, direction)) - set(types_)
    assert missing == set()
