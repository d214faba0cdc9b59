"""Malformed input raises ProtocolError naming the event type and field; unknown is kept."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.errors import ProtocolError
from workbench.protocol import events as pe
from workbench.protocol.dialects import (
    Dialect,
    decode_client_event,
    decode_server_event,
    guess_client_dialect,
    loads,
)


@pytest.mark.parametrize(
    "frame", ["{not json", "", "[1, 2]", '"text"', "42", b"\xff\xfe", '{"type": 5}', "{}"]
)
def test_malformed_frames_raise_protocol_error(frame: str | bytes) -> None:
    with pytest.raises(ProtocolError):
        decode_server_event(frame)
    with pytest.raises(ProtocolError):
        decode_client_event(frame)


def test_loads_rejects_non_objects() -> None:
    with pytest.raises(ProtocolError, match="not an object"):
        loads("[]")


_TRUNC = {"type": "conversation.item.truncated", "item_id": "i", "content_index": 0}
_DELTA = {
    "type": "response.output_audio.delta",
    "response_id": "r",
    "item_id": "i",
    "output_index": 0,
    "content_index": 0,
}


@pytest.mark.parametrize(
    ("wire", "field"),
    [
        ({**_TRUNC, "audio_end_ms": "500"}, "audio_end_ms"),
        ({**_TRUNC, "audio_end_ms": 1.5}, "audio_end_ms"),
        ({**_TRUNC, "audio_end_ms": True}, "audio_end_ms"),
        (_TRUNC, "audio_end_ms"),  # missing
        ({**_DELTA, "delta": "not base64!"}, "delta"),
        ({**_DELTA, "delta": 12}, "delta"),
        ({**_DELTA, "output_index": None, "delta": ""}, "output_index"),
        ({"type": "error", "error": "boom"}, "error"),
        ({"type": "response.created", "response": {"id": 7}}, "response.id"),
        ({"type": "session.created", "session": {"model": 3}}, "session.model"),
        (
            {"type": "session.updated", "session": {"audio": {"input": {"turn_detection": 5}}}},
            "session.audio.input.turn_detection",
        ),
        (
            {"type": "session.updated", "session": {"turn_detection": {"type": "magic"}}},
            "session.turn_detection.type",
        ),
        ({"type": "rate_limits.updated", "rate_limits": {}}, "rate_limits"),
        ({"type": "response.done", "response": {"id": "r"}}, "response.status"),
    ],
)
def test_wrong_server_field_types_name_type_and_field(wire: dict[str, Any], field: str) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_server_event(wire)
    assert wire["type"] in info.value.message
    assert f"'{field}'" in info.value.message


@pytest.mark.parametrize(
    ("wire", "field"),
    [
        ({"type": "input_audio_buffer.append", "audio": "@@@"}, "audio"),
        ({"type": "input_audio_buffer.append"}, "audio"),
        (
            {
                "type": "conversation.item.truncate",
                "item_id": "i",
                "content_index": 0,
                "audio_end_ms": "10",
            },
            "audio_end_ms",
        ),
        ({"type": "session.update", "session": []}, "session"),
        (
            {"type": "session.update", "session": {"turn_detection": {"threshold": "high"}}},
            "session.turn_detection.threshold",
        ),
        (
            {
                "type": "session.update",
                "session": {"turn_detection": {"type": "semantic_vad", "eagerness": "x"}},
            },
            "session.turn_detection.eagerness",
        ),
        ({"type": "response.create", "response": "now"}, "response"),
        ({"type": "input_audio_buffer.commit", "event_id": 3}, "event_id"),
    ],
)
def test_wrong_client_field_types_name_type_and_field(wire: dict[str, Any], field: str) -> None:
    with pytest.raises(ProtocolError) as info:
        decode_client_event(wire)
    assert wire["type"] in info.value.message
    assert f"'{field}'" in info.value.message


def test_unknown_types_never_crash() -> None:
    server = decode_server_event('{"type":"output_audio_buffer.started","event_id":"e1","x":1}')
    assert server == pe.UnknownServerEvent("output_audio_buffer.started", {"x": 1}, "e1")
    client = decode_client_event({"type": "transcription_session.update", "session": {}})
    assert client == pe.UnknownClientEvent("transcription_session.update", {"session": {}})


def test_guess_client_dialect_from_session_update_shape() -> None:
    ga = {"type": "session.update", "session": {"type": "realtime", "instructions": "x"}}
    ga_audio = {"type": "session.update", "session": {"audio": {"output": {"voice": "alloy"}}}}
    preview = {"type": "session.update", "session": {"modalities": ["audio", "text"]}}
    preview_td = {"type": "session.update", "session": {"turn_detection": None}}
    neutral = {"type": "session.update", "session": {"instructions": "x"}}
    assert guess_client_dialect(ga) is Dialect.GA
    assert guess_client_dialect(ga_audio) is Dialect.GA
    assert guess_client_dialect(preview) is Dialect.PREVIEW
    assert guess_client_dialect(preview_td) is Dialect.PREVIEW
    assert guess_client_dialect(neutral) is None
    assert guess_client_dialect({"type": "input_audio_buffer.commit"}) is None


def test_decoders_read_both_session_shapes() -> None:
    ga = {
        "type": "session.update",
        "session": {
            "type": "realtime",
            "output_modalities": ["audio"],
            "audio": {
                "input": {"transcription": {"model": "whisper-1"}, "turn_detection": None},
                "output": {"voice": {"id": "voice_123"}},
            },
        },
    }
    preview = {
        "type": "session.update",
        "session": {
            "modalities": ["audio", "text"],
            "voice": "verse",
            "input_audio_transcription": None,
            "turn_detection": {"type": "semantic_vad", "eagerness": "low"},
        },
    }
    ga_event = decode_client_event(ga)
    preview_event = decode_client_event(preview)
    assert isinstance(ga_event, pe.SessionUpdate)
    assert isinstance(preview_event, pe.SessionUpdate)
    assert ga_event.session == pe.SessionSettings(
        output_modalities=("audio",),
        voice="voice_123",
        input_transcription_model="whisper-1",
        turn_detection=pe.NoTurnDetection(),
    )
    # Preview ["audio", "text"] is the neutral ("audio",): audio with its transcript.
    assert preview_event.session == pe.SessionSettings(
        output_modalities=("audio",),
        voice="verse",
        turn_detection=pe.SemanticVad(eagerness="low"),
    )


def test_integral_float_milliseconds_are_accepted() -> None:
    event = decode_server_event({**_TRUNC, "audio_end_ms": 500.0})
    assert event == pe.ConversationItemTruncated("i", 0, 500)
