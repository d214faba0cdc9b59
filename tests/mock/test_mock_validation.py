"""The mock answers bad client events like the service: the validation table of docs/mock.md.

Each row: dialect, a client event, and the error the mock must answer with (code, param,
and a part of the message). Every error carries the client's ``event_id``; a refused
``session.update`` changes nothing.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.mock.mock_helpers import events_of, manual_session, run_until, tone
from workbench.mock.model import LatencyModel, MockConfig, MockRealtimeModel
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect

GA, PREVIEW = Dialect.GA, Dialect.PREVIEW
FAST = MockConfig(latency=LatencyModel(ttfa_ms=10, delta_ms=50))


def _ga_session(**fields: Any) -> dict[str, Any]:
    return {"type": "session.update", "session": {"type": "realtime", **fields}}


def _ga_audio(side: str, **fields: Any) -> dict[str, Any]:
    return _ga_session(audio={side: fields})


def _preview_session(**fields: Any) -> dict[str, Any]:
    return {"type": "session.update", "session": fields}


def _item(**item: Any) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": item}


_USER_TEXT = [{"type": "input_text", "text": "hi"}]
# (id, dialect, event, code, param, message fragment)
TABLE: list[tuple[str, Dialect, dict[str, Any], str, str | None, str]] = [
    (
        "ga-voice",
        GA,
        _ga_audio("output", voice="nova"),
        "invalid_value",
        "session.audio.output.voice",
        "Invalid value: 'nova'. Supported values are: 'alloy'",
    ),
    (
        "ga-format",
        GA,
        _ga_audio("input", format={"type": "audio/opus"}),
        "invalid_value",
        "session.audio.input.format.type",
        "Supported values are: 'audio/pcm', 'audio/pcmu', and",
    ),
    (
        "ga-rate",
        GA,
        _ga_audio("output", format={"type": "audio/pcm", "rate": 16000}),
        "invalid_value",
        "session.audio.output.format.rate",
        "Supported values are: 24000.",
    ),
    (
        "ga-modality-video",
        GA,
        _ga_session(output_modalities=["video"]),
        "invalid_value",
        "session.output_modalities[0]",
        "Invalid value: 'video'",
    ),
    (
        "ga-modality-both",
        GA,
        _ga_session(output_modalities=["audio", "text"]),
        "invalid_value",
        "session.output_modalities",
        "Supported combinations are: ['audio'] and ['text']",
    ),
    (
        "ga-unknown-field",
        GA,
        _ga_session(colour="blue"),
        "unknown_parameter",
        "session.colour",
        "Unknown parameter: 'session.colour'.",
    ),
    (
        "ga-missing-type",
        GA,
        {"type": "session.update", "session": {"instructions": "x"}},
        "missing_required_parameter",
        "session.type",
        "Missing required parameter: 'session.type'.",
    ),
    (
        "ga-temperature",
        GA,
        _ga_session(temperature=0.7),
        "unknown_parameter",
        "session.temperature",
        "Unknown parameter: 'session.temperature'.",
    ),
    (
        "ga-vad-threshold",
        GA,
        _ga_audio("input", turn_detection={"type": "server_vad", "threshold": 1.5}),
        "decimal_above_max_value",
        "session.audio.input.turn_detection.threshold",
        "<= 1.0",
    ),
    (
        "ga-vad-type",
        GA,
        _ga_audio("input", turn_detection={"type": "push_to_talk"}),
        "invalid_value",
        "session.audio.input.turn_detection.type",
        "'server_vad' and 'semantic_vad'",
    ),
    (
        "ga-vad-idle",
        GA,
        _ga_audio("input", turn_detection={"type": "server_vad", "idle_timeout_ms": 10}),
        "integer_below_min_value",
        "session.audio.input.turn_detection.idle_timeout_ms",
        ">= 5000",
    ),
    (
        "ga-eagerness",
        GA,
        _ga_audio("input", turn_detection={"type": "semantic_vad", "eagerness": "max"}),
        "invalid_value",
        "session.audio.input.turn_detection.eagerness",
        "'low', 'medium', 'high'",
    ),
    (
        "ga-transcription-model",
        GA,
        _ga_audio("input", transcription={"model": "whisper-2"}),
        "invalid_value",
        "session.audio.input.transcription.model",
        "Invalid value: 'whisper-2'",
    ),
    (
        "ga-tool-no-name",
        GA,
        _ga_session(tools=[{"type": "function"}]),
        "missing_required_parameter",
        "session.tools[0].name",
        "'session.tools[0].name'",
    ),
    (
        "ga-tool-bad-name",
        GA,
        _ga_session(tools=[{"type": "function", "name": "get time"}]),
        "invalid_value",
        "session.tools[0].name",
        "does not match pattern",
    ),
    (
        "ga-tool-type",
        GA,
        _ga_session(tools=[{"type": "retrieval", "name": "x"}]),
        "invalid_value",
        "session.tools[0].type",
        "Supported values are: 'function' and 'mcp'.",
    ),
    (
        "ga-tool-params",
        GA,
        _ga_session(tools=[{"type": "function", "name": "f", "parameters": "{}"}]),
        "invalid_type",
        "session.tools[0].parameters",
        "expected an object, but got a string",
    ),
    (
        "ga-tool-choice",
        GA,
        _ga_session(tool_choice="sometimes"),
        "invalid_value",
        "session.tool_choice",
        "Invalid value: 'sometimes'",
    ),
    (
        "ga-instructions",
        GA,
        _ga_session(instructions="x" * 40_000),
        "string_above_max_length",
        "session.instructions",
        "maximum length 32768, but got a string with length 40000",
    ),
    (
        "ga-max-tokens",
        GA,
        _ga_session(max_output_tokens=5000),
        "integer_above_max_value",
        "session.max_output_tokens",
        "<= 4096",
    ),
    (
        "ga-transcription-session",
        GA,
        {"type": "session.update", "session": {"type": "transcription"}},
        "invalid_value",
        "session.type",
        "realtime sessions only",
    ),
    (
        "preview-modality-audio-only",
        PREVIEW,
        _preview_session(modalities=["audio"]),
        "invalid_value",
        "session.modalities",
        "Supported combinations are: ['text'] and ['audio', 'text']",
    ),
    (
        "preview-temperature",
        PREVIEW,
        _preview_session(temperature=0.3),
        "decimal_below_min_value",
        "session.temperature",
        ">= 0.6",
    ),
    (
        "preview-format",
        PREVIEW,
        _preview_session(input_audio_format="g711-ulaw"),
        "invalid_value",
        "session.input_audio_format",
        "'pcm16', 'g711_ulaw', and 'g711_alaw'",
    ),
    (
        "preview-voice",
        PREVIEW,
        _preview_session(voice="nova"),
        "invalid_value",
        "session.voice",
        "Invalid value: 'nova'",
    ),
    (
        "preview-ga-shape",
        PREVIEW,
        _preview_session(type="realtime"),
        "unknown_parameter",
        "session.type",
        "Unknown parameter: 'session.type'.",
    ),
    (
        "preview-vad-silence",
        PREVIEW,
        _preview_session(turn_detection={"silence_duration_ms": -1}),
        "integer_below_min_value",
        "session.turn_detection.silence_duration_ms",
        ">= 0",
    ),
    (
        "preview-transcription-session",
        PREVIEW,
        {"type": "transcription_session.update", "session": {}},
        "invalid_value",
        "type",
        "realtime sessions only",
    ),
    (
        "ga-response-voice",
        GA,
        {"type": "response.create", "response": {"audio": {"output": {"voice": "x"}}}},
        "invalid_value",
        "response.audio.output.voice",
        "Invalid value: 'x'",
    ),
    (
        "preview-response-temperature",
        PREVIEW,
        {"type": "response.create", "response": {"temperature": 2}},
        "decimal_above_max_value",
        "response.temperature",
        "<= 1.2",
    ),
    (
        "ga-response-unknown",
        GA,
        {"type": "response.create", "response": {"speed": 2}},
        "unknown_parameter",
        "response.speed",
        "Unknown parameter: 'response.speed'.",
    ),
    (
        "preview-response-modalities",
        PREVIEW,
        {"type": "response.create", "response": {"modalities": ["audio"]}},
        "invalid_value",
        "response.modalities",
        "Invalid modalities",
    ),
    (
        "item-role",
        GA,
        _item(type="message", role="robot", content=[]),
        "invalid_value",
        "item.role",
        "'system', 'user', and 'assistant'",
    ),
    (
        "item-no-content",
        GA,
        _item(type="message", role="user"),
        "missing_required_parameter",
        "item.content",
        "'item.content'",
    ),
    (
        "item-part-type",
        PREVIEW,
        _item(type="message", role="user", content=[{"type": "input_image"}]),
        "invalid_value",
        "item.content[0].type",
        "Invalid value: 'input_image'",
    ),
    (
        "item-bad-audio",
        GA,
        _item(type="message", role="user", content=[{"type": "input_audio", "audio": "!!"}]),
        "invalid_value",
        "item.content[0].audio",
        "base64",
    ),
    (
        "item-call-output-no-call",
        GA,
        _item(type="function_call_output", output="x"),
        "missing_required_parameter",
        "item.call_id",
        "'item.call_id'",
    ),
    (
        "append-not-base64",
        GA,
        {"type": "input_audio_buffer.append", "audio": "not base64!"},
        "invalid_value",
        "audio",
        "base64",
    ),
    (
        "append-int",
        PREVIEW,
        {"type": "input_audio_buffer.append", "audio": 5},
        "invalid_type",
        "audio",
        "expected a string, but got an integer",
    ),
    (
        "truncate-negative",
        GA,
        {
            "type": "conversation.item.truncate",
            "item_id": "i",
            "content_index": 0,
            "audio_end_ms": -5,
        },
        "integer_below_min_value",
        "audio_end_ms",
        ">= 0",
    ),
    (
        "unknown-type",
        GA,
        {"type": "session.delete"},
        "invalid_value",
        "type",
        "Invalid value: 'session.delete'. Supported values are: 'session.update'",
    ),
    (
        "missing-type",
        PREVIEW,
        {"session": {}},
        "invalid_event",
        None,
        "The 'type' field is missing.",
    ),
    (
        "output-buffer-clear",
        GA,
        {"type": "output_audio_buffer.clear"},
        "invalid_value",
        "type",
        "only supported for WebRTC",
    ),
]


def _error_for(dialect: Dialect, event: dict[str, Any]) -> tuple[pe.ErrorInfo, list[Any]]:
    model = MockRealtimeModel(FAST, dialect)
    model.start(0.0)
    run_until(model)
    model.receive_wire({**event, "event_id": "evt_client_1"}, 1.0)
    out = run_until(model)
    errors = events_of(out, pe.ErrorEvent)
    assert len(errors) == 1, [type(t.event).__name__ for t in out]
    return errors[0].event.error, out


@pytest.mark.parametrize(
    ("dialect", "event", "code", "param", "fragment"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_validation_table(
    dialect: Dialect, event: dict[str, Any], code: str, param: str | None, fragment: str
) -> None:
    error, out = _error_for(dialect, event)
    assert error.type == "invalid_request_error"
    assert error.code == code
    assert error.param == param
    assert fragment in error.message
    assert error.event_id == "evt_client_1"  # the client's event id comes back
    assert not events_of(out, pe.SessionUpdated)  # a refused update changes nothing


def test_voice_cannot_change_after_assistant_audio(user_audio: bytes) -> None:
    model = MockRealtimeModel(FAST, GA)
    manual_session(model)
    model.receive(pe.InputAudioBufferAppend(user_audio), 0.0)
    model.receive(pe.InputAudioBufferCommit(), 0.0)
    model.receive(pe.ResponseCreate(), 0.0)
    run_until(model)
    model.receive_wire(_ga_audio("output", voice="alloy"), 5000.0)  # the same voice: fine
    model.receive_wire({**_ga_audio("output", voice="verse"), "event_id": "v1"}, 5000.0)
    out = run_until(model)
    assert len(events_of(out, pe.SessionUpdated)) == 1
    error = events_of(out, pe.ErrorEvent)[0].event.error
    assert (error.code, error.param, error.event_id) == ("cannot_update_voice", None, "v1")
    assert error.message == "Cannot update a conversation's voice if assistant audio is present."


def test_voice_can_change_before_any_audio() -> None:
    model = MockRealtimeModel(FAST, PREVIEW)
    model.start(0.0)
    model.receive_wire(_preview_session(voice="verse"), 0.0)
    updated = events_of(run_until(model), pe.SessionUpdated)[0].event
    assert updated.session.voice == "verse"


def test_valid_events_of_both_shapes_pass_in_their_own_dialect() -> None:
    ga = _ga_session(
        output_modalities=["text"],
        audio={"input": {"format": {"type": "audio/pcmu"}, "turn_detection": None}},
        tools=[{"type": "function", "name": "get_time", "parameters": {"type": "object"}}],
        tool_choice="auto",
        max_output_tokens="inf",
    )
    preview = _preview_session(
        modalities=["text", "audio"],
        input_audio_format="g711_alaw",
        temperature=1.1,
        turn_detection={"type": "server_vad", "threshold": 0.3},
    )
    for dialect, event in ((GA, ga), (PREVIEW, preview)):
        model = MockRealtimeModel(FAST, dialect)
        model.start(0.0)
        model.receive_wire(event, 0.0)
        out = run_until(model)
        assert not events_of(out, pe.ErrorEvent)
        assert len(events_of(out, pe.SessionUpdated)) == 1


def test_an_append_in_a_bad_frame_is_refused_without_touching_the_buffer() -> None:
    model = MockRealtimeModel(FAST, GA)
    manual_session(model)
    good = base64.b64encode(tone(300, 200)).decode()
    model.receive_wire({"type": "input_audio_buffer.append", "audio": good}, 0.0)
    model.receive_wire({"type": "input_audio_buffer.append", "audio": "%%%"}, 0.0)
    model.receive_wire({"type": "input_audio_buffer.commit"}, 0.0)
    out = run_until(model)
    assert len(events_of(out, pe.ErrorEvent)) == 1
    assert len(events_of(out, pe.InputAudioBufferCommitted)) == 1
