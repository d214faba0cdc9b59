"""The strict validator: the service's codes, params and messages; the encoder conforms."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.protocol.protocol_samples import CLIENT_EVENTS, SERVER_EVENTS
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect, encode_client_event, encode_server_event
from workbench.protocol.reference_schema import VOICES_GA, client_event_types, server_event_types
from workbench.protocol.strict_validator import (
    quote_list,
    validate_client_event,
    validate_server_event,
)


def _first(violations: list[Any]) -> tuple[str, str, str]:
    assert violations, "expected a violation"
    v = violations[0]
    return v.code, v.param, v.message


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", SERVER_EVENTS, ids=lambda e: type(e).__name__)
def test_every_encoded_server_event_is_exactly_the_reference(
    event: pe.ServerEvent, dialect: Dialect
) -> None:
    if isinstance(event, pe.UnknownServerEvent):
        pytest.skip("not a reference event")
    if dialect is Dialect.PREVIEW and isinstance(event, pe.ConversationItemDone):
        pytest.skip("preview has no conversation.item.done (the mock sends it only in GA)")
    wire = encode_server_event(event, dialect)
    assert validate_server_event(wire, dialect) == []


@pytest.mark.parametrize("dialect", list(Dialect))
@pytest.mark.parametrize("event", CLIENT_EVENTS, ids=lambda e: type(e).__name__)
def test_every_encoded_client_event_is_valid(event: pe.ClientEvent, dialect: Dialect) -> None:
    if isinstance(event, pe.UnknownClientEvent):
        pytest.skip("not a reference event")
    assert validate_client_event(encode_client_event(event, dialect), dialect) == []


def test_a_missing_nullable_key_is_missing_not_null() -> None:
    wire = encode_server_event(SERVER_EVENTS[0], Dialect.PREVIEW)
    del wire["session"]["input_audio_transcription"]
    assert _first(validate_server_event(wire, Dialect.PREVIEW)) == (
        "missing_required_parameter",
        "session.input_audio_transcription",
        "Missing required parameter: 'session.input_audio_transcription'.",
    )
    wire["session"]["input_audio_transcription"] = None  # present as null: fine
    assert validate_server_event(wire, Dialect.PREVIEW) == []


def test_an_undeclared_key_is_unknown_with_its_full_path() -> None:
    session = {"type": "realtime", "tools": [{"type": "function", "name": "f", "meta": {}}]}
    event = {"type": "session.update", "session": session}
    assert _first(validate_client_event(event, Dialect.GA)) == (
        "unknown_parameter",
        "session.tools[0].meta",
        "Unknown parameter: 'session.tools[0].meta'.",
    )


def test_temperature_is_unknown_in_ga_and_ranged_in_preview() -> None:
    ga = {"type": "session.update", "session": {"type": "realtime", "temperature": 0.8}}
    assert _first(validate_client_event(ga, Dialect.GA))[:2] == (
        "unknown_parameter",
        "session.temperature",
    )
    preview = {"type": "session.update", "session": {"temperature": 1.5}}
    assert _first(validate_client_event(preview, Dialect.PREVIEW)) == (
        "decimal_above_max_value",
        "session.temperature",
        "Invalid 'session.temperature': decimal above maximum value. "
        "Expected a value <= 1.2, but got 1.5 instead.",
    )


def test_enum_errors_list_the_supported_values_like_the_service() -> None:
    event = {"type": "session.update", "session": {"input_audio_format": "g711-ulaw"}}
    assert _first(validate_client_event(event, Dialect.PREVIEW)) == (
        "invalid_value",
        "session.input_audio_format",
        "Invalid value: 'g711-ulaw'. Supported values are: 'pcm16', 'g711_ulaw', and 'g711_alaw'.",
    )


def test_a_pcm_rate_other_than_24k_is_refused() -> None:
    fmt = {"type": "audio/pcm", "rate": 16000}
    event = {
        "type": "session.update",
        "session": {"type": "realtime", "audio": {"input": {"format": fmt}}},
    }
    code, param, message = _first(validate_client_event(event, Dialect.GA))
    assert (code, param) == ("invalid_value", "session.audio.input.format.rate")
    assert message == "Invalid value: 16000. Supported values are: 24000."


def test_wrong_types_name_what_was_expected() -> None:
    event = {"type": "input_audio_buffer.append", "audio": 5}
    assert _first(validate_client_event(event, Dialect.GA)) == (
        "invalid_type",
        "audio",
        "Invalid type for 'audio': expected a string, but got an integer instead.",
    )
    truncate = {"type": "conversation.item.truncate", "item_id": "i", "content_index": 0}
    truncate["audio_end_ms"] = 1.5
    assert _first(validate_client_event(truncate, Dialect.GA))[:2] == (
        "invalid_type",
        "audio_end_ms",
    )


def test_integer_or_inf_accepts_both_and_explains_a_bad_string() -> None:
    base = {"type": "session.update", "session": {"type": "realtime"}}
    for value in (1, 4096, "inf"):
        base["session"]["max_output_tokens"] = value
        assert validate_client_event(base, Dialect.GA) == []
    base["session"]["max_output_tokens"] = "lots"
    assert _first(validate_client_event(base, Dialect.GA))[:2] == (
        "invalid_value",
        "session.max_output_tokens",
    )
    base["session"]["max_output_tokens"] = 0
    assert _first(validate_client_event(base, Dialect.GA))[0] == "integer_below_min_value"


def test_tagged_unions_report_the_tag() -> None:
    item = {"type": "message", "role": "robot", "content": []}
    event = {"type": "conversation.item.create", "item": item}
    code, param, message = _first(validate_client_event(event, Dialect.GA))
    assert (code, param) == ("invalid_value", "item.role")
    assert message == (
        "Invalid value: 'robot'. Supported values are: 'system', 'user', and 'assistant'."
    )
    part = {"type": "message", "role": "user", "content": [{"type": "input_text"}]}
    assert _first(validate_client_event({**event, "item": part}, Dialect.GA))[:2] == (
        "missing_required_parameter",
        "item.content[0].text",
    )


def test_preview_turn_detection_type_defaults_to_server_vad() -> None:
    event = {"type": "session.update", "session": {"turn_detection": {"threshold": 0.4}}}
    assert validate_client_event(event, Dialect.PREVIEW) == []
    event["session"]["turn_detection"]["threshold"] = 1.5
    assert _first(validate_client_event(event, Dialect.PREVIEW))[:2] == (
        "decimal_above_max_value",
        "session.turn_detection.threshold",
    )


def test_unknown_event_types_are_invalid_values_of_type() -> None:
    code, param, message = _first(validate_client_event({"type": "bogus"}, Dialect.GA))
    assert (code, param) == ("invalid_value", "type")
    assert message.startswith("Invalid value: 'bogus'. Supported values are: 'session.update'")
    assert _first(validate_server_event({"type": "response.audio.delta"}, Dialect.GA))[:2] == (
        "invalid_value",
        "type",
    )


def test_each_dialect_lists_its_own_event_names() -> None:
    assert "response.output_audio.delta" in server_event_types(Dialect.GA)
    assert "response.audio.delta" not in server_event_types(Dialect.GA)
    assert "response.audio.delta" in server_event_types(Dialect.PREVIEW)
    assert "conversation.item.added" not in server_event_types(Dialect.PREVIEW)
    assert "transcription_session.update" in client_event_types(Dialect.PREVIEW)


def test_lists_are_quoted_like_the_service() -> None:
    assert quote_list(["a"]) == "'a'"
    assert quote_list(["a", "b"]) == "'a' and 'b'"
    assert quote_list(["a", "b", "c"]) == "'a', 'b', and 'c'"
    assert quote_list([24000]) == "24000"


# -- property: whatever valid settings the workbench encodes conform, both directions ----

_names = st.from_regex(r"[a-zA-Z0-9_-]{1,20}", fullmatch=True)
_valid_settings = st.builds(
    pe.SessionSettings,
    model=st.none() | _names,
    output_modalities=st.none() | st.sampled_from([("audio",), ("text",)]),
    instructions=st.none() | st.text(max_size=40),
    voice=st.none() | st.sampled_from(VOICES_GA),
    input_transcription_model=st.none() | st.sampled_from(["whisper-1", "gpt-4o-transcribe"]),
    turn_detection=st.none()
    | st.builds(pe.NoTurnDetection)
    | st.builds(
        pe.ServerVad,
        threshold=st.floats(0, 1),
        prefix_padding_ms=st.integers(0, 5000),
        silence_duration_ms=st.integers(0, 5000),
    )
    | st.builds(pe.SemanticVad, eagerness=st.sampled_from(["low", "medium", "high", "auto"])),
    temperature=st.none() | st.floats(0.6, 1.2),
    input_audio_format=st.none() | st.sampled_from(["pcm16", "g711_ulaw", "g711_alaw"]),
    output_audio_format=st.none() | st.sampled_from(["pcm16", "g711_ulaw", "g711_alaw"]),
    tools=st.none()
    | st.lists(st.builds(pe.FunctionTool, _names, st.text(max_size=10)), max_size=3).map(tuple),
    tool_choice=st.none() | st.sampled_from(["auto", "none", "required"]),
    max_output_tokens=st.none() | st.just("inf") | st.integers(1, 4096),
)


@settings(max_examples=200, deadline=None)
@given(session=_valid_settings, dialect=st.sampled_from(list(Dialect)))
def test_any_valid_settings_conform_as_client_and_server_events(
    session: pe.SessionSettings, dialect: Dialect
) -> None:
    update = encode_client_event(pe.SessionUpdate(session), dialect)
    assert validate_client_event(update, dialect) == []
    created = encode_server_event(pe.SessionCreated(session, "sess_1", 0, "e1"), dialect)
    assert validate_server_event(created, dialect) == []
