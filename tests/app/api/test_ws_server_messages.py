"""wire.py: every relay event has exactly the JSON shape docs/api.md promises."""

from __future__ import annotations

import json

import numpy as np
import pytest

from workbench.app.api.ws_server_messages import (
    WireEncoder,
    clock_pong_message,
    event_to_dict,
    level_message,
    turn_updated_message,
)
from workbench.relay.events import (
    AudioOut,
    Interrupted,
    RelayError,
    RelayEvent,
    SessionEnded,
    SessionInfo,
    SpeechStarted,
    SpeechStopped,
    ToolCall,
    ToolOutput,
    TranscriptDelta,
    TranscriptFinal,
    TurnDone,
)
from workbench.relay.timeline import SessionTimeline


def _turn_done() -> TurnDone:
    timeline = SessionTimeline()
    turn = timeline.new_turn()
    turn.mark("commit", 100.0)
    turn.mark("first_audio_out", 350.0)
    turn.mark("done", 900.0)
    return TurnDone(status="completed", timeline=turn, response_id="resp_1")


def test_every_event_maps_to_its_documented_keys() -> None:
    cases: list[tuple[RelayEvent, set[str]]] = [
        (
            SessionInfo("mock", "the mock", True, "ga"),
            {
                "type",
                "backend",
                "description",
                "is_mock",
                "dialect",
                "session_id",
                "reconnected",
            },  # + features when the route passes them (tests/app/api/test_ws_surface.py)
        ),
        (TranscriptDelta("assistant", "it_1", "hel"), {"type", "role", "item_id", "text", "final"}),
        (TranscriptFinal("user", "it_0", "hello"), {"type", "role", "item_id", "text", "final"}),
        (SpeechStarted(120, "it_0"), {"type", "audio_start_ms", "item_id"}),
        (SpeechStopped(900, "it_0"), {"type", "audio_end_ms", "item_id"}),
        (Interrupted("it_1", 480), {"type", "item_id", "audio_end_ms"}),
        (_turn_done(), {"type", "status", "response_id", "timeline", "summary"}),
        (
            RelayError("upstream_closed", "gone", retryable=True, fatal=False),
            {"type", "code", "message", "retryable", "fatal"},
        ),
        (SessionEnded("closed"), {"type", "reason", "text"}),
        (
            ToolCall("call_1", "get_current_time", "{}", "it_2", "resp_2"),
            {"type", "call_id", "name", "arguments", "item_id", "response_id"},
        ),
        (ToolOutput("call_1", "get_current_time", "{}"), {"type", "call_id", "name", "output"}),
    ]
    for event, keys in cases:
        message = event_to_dict(event, session_id="s1", summary={"ttfa_ms": {}})
        assert set(message) == keys, event
        json.dumps(message)  # JSON-serialisable


def test_the_voice_to_voice_messages_have_their_documented_keys() -> None:
    assert clock_pong_message(1.5, 2000.12345) == {
        "type": "clock_pong",
        "client_ms": 1.5,
        "server_ms": 2000.123,
    }
    turn = _turn_done().timeline
    message = turn_updated_message("resp_1", turn.to_dict(), {"ttfa_ms": {}})
    assert set(message) == {"type", "response_id", "timeline", "summary"}
    assert message["timeline"]["voice_to_voice_ms"] is None
    json.dumps(message)


def test_transcript_final_flag_and_session_id_override() -> None:
    assert event_to_dict(TranscriptDelta("assistant", "i", "a"))["final"] is False
    assert event_to_dict(TranscriptFinal("assistant", "i", "a"))["final"] is True
    info = event_to_dict(SessionInfo("mock", "d", True, "ga", session_id="relay"), session_id="api")
    assert info["type"] == "session" and info["session_id"] == "api"


def test_turn_done_carries_timeline_and_summary() -> None:
    message = event_to_dict(_turn_done(), summary={"ttfa_ms": {"n": 1}})
    assert message["timeline"]["ttfa_ms"] == 250.0
    assert message["summary"] == {"ttfa_ms": {"n": 1}}


def test_encoder_sends_audio_start_once_per_item_then_level_then_binary() -> None:
    pcm = (np.ones(240, dtype="<i2") * 1000).tobytes()
    encoder = WireEncoder("s1")
    first = encoder.encode(AudioOut(pcm, "it_1", "r_1", 0.0))
    assert [m["type"] if isinstance(m, dict) else "binary" for m in first] == [
        "audio_start",
        "level",
        "binary",
    ]
    assert first[0] == {
        "type": "audio_start",
        "item_id": "it_1",
        "response_id": "r_1",
        "sample_rate_hz": 24000,
    }
    second = encoder.encode(AudioOut(pcm, "it_1", "r_1", 10.0))
    assert [m["type"] if isinstance(m, dict) else "binary" for m in second] == ["level", "binary"]
    third = encoder.encode(AudioOut(pcm, "it_2", "r_2", 0.0))
    assert isinstance(third[0], dict) and third[0]["item_id"] == "it_2"
    assert third[-1] == pcm


def test_encoder_restarts_the_item_header_after_interruption() -> None:
    encoder = WireEncoder(levels=False)
    pcm = b"\x00\x01" * 10
    encoder.encode(AudioOut(pcm, "it_1", "r_1", 0.0))
    encoder.encode(Interrupted("it_1", 5))
    again = encoder.encode(AudioOut(pcm, "it_1", "r_1", 0.0))
    assert isinstance(again[0], dict) and again[0]["type"] == "audio_start"
    assert again[-1] == pcm and len(again) == 2


def test_level_of_a_sine_is_3_db_below_its_peak() -> None:
    t = np.arange(2400) / 24000
    pcm = (0.5 * 32767 * np.sin(2 * np.pi * 440 * t)).astype("<i2").tobytes()
    message = level_message(pcm, "output")
    assert message["type"] == "level" and message["source"] == "output"
    assert message["peak_dbfs"] - message["rms_dbfs"] == pytest.approx(3.0, abs=0.2)


def test_every_end_reason_is_said_for_people() -> None:
    from workbench.app.api.ws_server_messages import END_REASON_TEXT, session_ended_message
    from workbench.service import EndReason

    assert set(END_REASON_TEXT) == set(EndReason)
    assert session_ended_message("idle") == {
        "type": "session_ended",
        "reason": "idle",
        "text": "idle timeout",
    }
    assert session_ended_message("something_new")["text"] == "something_new"
