"""decode(encode(event, dialect)) == event for every event, both dialects."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.protocol.protocol_samples import CLIENT_EVENTS, SERVER_EVENTS
from workbench.protocol import events as pe
from workbench.protocol.dialects import (
    Dialect,
    decode_client_event,
    decode_server_event,
    dumps,
    encode_client_event,
    encode_server_event,
    loads,
)
from workbench.protocol.session_codec import with_server_defaults


def _server_view(event: Any) -> Any:
    """A server's session object carries every setting (the service's defaults for unset
    ones) and ``expires_at`` (0 when the event had none)."""
    if isinstance(event, pe.SessionCreated | pe.SessionUpdated):
        expires_at = 0 if event.expires_at is None else event.expires_at
        session = with_server_defaults(event.session)
        return dataclasses.replace(event, session=session, expires_at=expires_at)
    return event


def _ga_view(event: Any) -> Any:
    """GA has no temperature: the expected GA round trip drops it (a response reports
    the default)."""
    session = getattr(event, "session", None)
    if isinstance(session, pe.SessionSettings):
        return dataclasses.replace(event, session=dataclasses.replace(session, temperature=None))
    if isinstance(event, pe.ResponseCreated | pe.ResponseDone):
        default = pe.ResponseSettings().temperature
        settings = dataclasses.replace(event.settings, temperature=default)
        return dataclasses.replace(event, settings=settings)
    return event


def _expected(event: Any, dialect: Dialect, server: bool = False) -> Any:
    if server:
        event = _server_view(event)
    return _ga_view(event) if dialect is Dialect.GA else event


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", CLIENT_EVENTS, ids=lambda e: type(e).__name__)
def test_client_event_round_trip(event: pe.ClientEvent, dialect: Dialect) -> None:
    wire = encode_client_event(event, dialect)
    assert decode_client_event(wire) == _expected(event, dialect)
    assert decode_client_event(dumps(wire)) == _expected(event, dialect)  # through JSON text
    assert decode_client_event(dumps(wire).encode()) == _expected(event, dialect)


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", SERVER_EVENTS, ids=lambda e: type(e).__name__)
def test_server_event_round_trip(event: pe.ServerEvent, dialect: Dialect) -> None:
    wire = encode_server_event(event, dialect)
    assert loads(dumps(wire)) == wire
    assert decode_server_event(dumps(wire)) == _expected(event, dialect, server=True)


def test_every_event_class_has_a_sample() -> None:
    client_classes = {type(e) for e in CLIENT_EVENTS}
    server_classes = {type(e) for e in SERVER_EVENTS}
    assert client_classes == set(pe.ClientEvent.__args__)  # type: ignore[attr-defined]
    assert server_classes == set(pe.ServerEvent.__args__)  # type: ignore[attr-defined]


def test_names_differ_between_dialects() -> None:
    delta = pe.ResponseAudioDelta("r", "i", 0, 0, b"\0\0")
    assert encode_server_event(delta, Dialect.GA)["type"] == "response.output_audio.delta"
    assert encode_server_event(delta, Dialect.PREVIEW)["type"] == "response.audio.delta"
    item = pe.ConversationItemCreated({"type": "message", "role": "user", "content": []}, None)
    assert encode_server_event(item, Dialect.GA)["type"] == "conversation.item.added"
    assert encode_server_event(item, Dialect.PREVIEW)["type"] == "conversation.item.created"
    text = pe.ResponseTextDone("r", "i", 0, 0, "x")
    assert encode_server_event(text, Dialect.GA)["type"] == "response.output_text.done"
    assert encode_server_event(text, Dialect.PREVIEW)["type"] == "response.text.done"


def test_ga_created_name_also_decodes() -> None:
    wire = {"type": "conversation.item.created", "event_id": "e", "previous_item_id": None}
    wire["item"] = {"type": "message", "role": "user", "content": []}
    assert isinstance(decode_server_event(wire), pe.ConversationItemCreated)


def test_preview_assistant_content_types_are_renamed() -> None:
    item = {"type": "message", "role": "assistant", "content": [{"type": "output_audio"}]}
    wire = encode_server_event(pe.ResponseOutputItemDone("r", 0, item), Dialect.PREVIEW)
    assert wire["item"]["content"][0]["type"] == "audio"
    decoded = decode_server_event(wire)
    assert isinstance(decoded, pe.ResponseOutputItemDone)
    assert decoded.item["content"][0]["type"] == "output_audio"


# -- property tests ------------------------------------------------------------------

_ids = st.text(st.characters(codec="ascii", categories=["L", "N"]), min_size=1, max_size=12)
_ms = st.integers(min_value=0, max_value=10**9)
_json_scalars = st.none() | st.booleans() | st.integers(-(2**31), 2**31) | st.text(max_size=8)
_json = st.recursive(
    _json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_ids, inner, max_size=3),
    max_leaves=8,
)
_payload = st.dictionaries(_ids.filter(lambda k: k not in ("type", "event_id")), _json, max_size=4)
_event_id = st.none() | _ids
_turn = (
    st.none()
    | st.builds(pe.NoTurnDetection)
    | st.builds(
        pe.ServerVad,
        threshold=st.floats(0, 1),
        prefix_padding_ms=_ms,
        silence_duration_ms=_ms,
        create_response=st.booleans(),
        interrupt_response=st.booleans(),
    )
    | st.builds(
        pe.SemanticVad,
        eagerness=st.sampled_from(["low", "medium", "high", "auto"]),
        create_response=st.booleans(),
        interrupt_response=st.booleans(),
    )
)
_settings = st.builds(
    pe.SessionSettings,
    model=st.none() | _ids,
    output_modalities=st.none() | st.sampled_from([("audio",), ("text",)]),
    instructions=st.none() | st.text(max_size=20),
    voice=st.none() | _ids,
    input_transcription_model=st.none() | _ids,
    turn_detection=_turn,
    temperature=st.none() | st.floats(0, 2),
    input_audio_format=st.none() | st.sampled_from(["pcm16", "g711_ulaw", "g711_alaw"]),
    output_audio_format=st.none() | st.sampled_from(["pcm16", "g711_ulaw", "g711_alaw"]),
    tools=st.none()
    | st.lists(st.builds(pe.FunctionTool, _ids, st.text(max_size=8)), max_size=2).map(tuple),
    tool_choice=st.none()
    | st.sampled_from(["auto", "none", "required"])
    | st.builds(pe.ToolChoiceFunction, _ids),
    max_output_tokens=st.none() | st.just("inf") | st.integers(1, 4096),
)
_c = {
    "response_id": _ids,
    "item_id": _ids,
    "output_index": _ms,
    "content_index": _ms,
    "event_id": _event_id,
}
_server_events = st.one_of(
    st.builds(pe.SessionCreated, _settings, _ids, st.none() | _ms, event_id=_event_id),
    st.builds(pe.InputAudioBufferSpeechStarted, _ms, _ids, event_id=_event_id),
    st.builds(pe.InputAudioBufferSpeechStopped, _ms, _ids, event_id=_event_id),
    st.builds(pe.ConversationItemTruncated, _ids, _ms, _ms, event_id=_event_id),
    st.builds(pe.ResponseAudioDelta, delta=st.binary(max_size=64), **_c),
    st.builds(pe.ResponseAudioTranscriptDelta, delta=st.text(max_size=10), **_c),
    st.builds(pe.ResponseTextDone, text=st.text(max_size=10), **_c),
    st.builds(
        pe.ResponseFunctionCallArgumentsDone,
        _ids,
        _ids,
        _ms,
        _ids,
        _ids,
        st.text(max_size=20),
        event_id=_event_id,
    ),
    st.builds(pe.InputAudioTranscriptionDelta, _ids, _ms, st.text(max_size=10), event_id=_event_id),
    st.builds(pe.UnknownServerEvent, _ids.map(lambda s: "x." + s), _payload, event_id=_event_id),
)
_client_events = st.one_of(
    st.builds(pe.SessionUpdate, _settings, event_id=_event_id),
    st.builds(pe.InputAudioBufferAppend, st.binary(max_size=64), event_id=_event_id),
    st.builds(pe.ConversationItemTruncate, _ids, _ms, _ms, event_id=_event_id),
    st.builds(pe.ResponseCancel, st.none() | _ids, event_id=_event_id),
    st.builds(pe.UnknownClientEvent, _ids.map(lambda s: "x." + s), _payload, event_id=_event_id),
)


@settings(max_examples=150, deadline=None)
@given(event=_client_events, dialect=st.sampled_from(list(Dialect)))
def test_client_round_trip_property(event: pe.ClientEvent, dialect: Dialect) -> None:
    assert decode_client_event(dumps(encode_client_event(event, dialect))) == _expected(
        event, dialect
    )


@settings(max_examples=150, deadline=None)
@given(event=_server_events, dialect=st.sampled_from(list(Dialect)))
def test_server_round_trip_property(event: pe.ServerEvent, dialect: Dialect) -> None:
    assert decode_server_event(dumps(encode_server_event(event, dialect))) == _expected(
        event, dialect, server=True
    )
