"""The mock refuses bad client events (other than session.update) like the service.

Rows of docs/mock.md's validation table for ``response.create``, ``conversation.item.*``,
``input_audio_buffer.*``, unknown and malformed events: the error's code, param, a part
of its message, and the client's ``event_id``.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.mock.mock_helpers import assert_refused
from workbench.protocol.dialects import Dialect

GA, PREVIEW = Dialect.GA, Dialect.PREVIEW


def _item(**item: Any) -> dict[str, Any]:
    return {"type": "conversation.item.create", "item": item}


# (id, dialect, event, code, param, message fragment)
TABLE: list[tuple[str, Dialect, dict[str, Any], str, str | None, str]] = [
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


@pytest.mark.parametrize(
    ("dialect", "event", "code", "param", "fragment"),
    [row[1:] for row in TABLE],
    ids=[row[0] for row in TABLE],
)
def test_event_validation_table(
    dialect: Dialect, event: dict[str, Any], code: str, param: str | None, fragment: str
) -> None:
    assert_refused(dialect, event, code, param, fragment)
