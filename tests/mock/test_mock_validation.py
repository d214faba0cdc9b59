"""The mock refuses bad ``session.update`` events like the service (docs/mock.md's table).

Each row: dialect, a client event, and the error the mock must answer with (code, param,
and a part of the message). Every error carries the client's ``event_id``; a refused
update changes nothing. Other client events: ``test_mock_validation_events.py``.
"""

from __future__ import annotations

import base64
from typing import Any

import pytest

from tests.mock.mock_helpers import FAST, assert_refused, events_of, manual_session, run_until, tone
from workbench.mock.model import MockRealtimeModel
from workbench.protocol import events as pe
from workbench.protocol.dialects import Dialect

GA, PREVIEW = Dialect.GA, Dialect.PREVIEW


def _ga_session(**fields: Any) -> dict[str, Any]:
    return {"type": "session.update", "session": {"type": "realtime", **fields}}


def _ga_audio(side: str, **fields: Any) -> dict[str, Any]:
    return _ga_session(audio={side: fields})


def _preview_session(**fields: Any) -> dict[str, Any]:
    return {"type": "session.update", "session": fields}


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
]


@pytest.mark.parametrize(
    ("dialect", "event", "code", "param", "fragment"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_session_validation_table(
    dialect: Dialect, event: dict[str, Any], code: str, param: str | None, fragment: str
) -> None:
    out = assert_refused(dialect, event, code, param, fragment)
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
