"""What the component's browser side reports, parsed: valid reports in, bad ones refused."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from workbench.app.ui.realtime_audio.event_data import (
    SessionEndEvent,
    SessionErrorEvent,
    SessionStartEvent,
    TranscriptEvent,
    TurnEvent,
)
from workbench.app.ui.realtime_audio.payloads import (
    MAX_LOG_TURNS,
    MAX_TEXT_CHARS,
    PayloadError,
    RealtimeLog,
    SessionEnd,
    SessionError,
    TurnReport,
)
from workbench.errors import WorkbenchError

#: A turn report as realtime-client.js sends it (turn-meter.js `report()`).
TURN: dict[str, Any] = {
    "turn_index": 2,
    "status": "completed",
    "response_id": "resp_4",
    "item_id": "item_5",
    "mic_to_speaker_ms": 648.7,
    "mic_to_audible_ms": 1040.0,
    "output_latency_ms": 30.0,
    "jitter_buffer_ms": 60,
    "underruns": 1,
    "user_text": "hear me",
    "assistant_text": None,
    "timeline": {
        "turn_index": 2,
        "stages_ms": {"speech_started": 0.0, "speech_stopped": 2100.5, "first_audio_delta": 2400.1},
        "ttfa_ms": 301.0,
        "model_ttfb_ms": 300.9,
        "relay_overhead_ms": 0.1,
        "playout_delay_ms": 10.7,
    },
    "summary": {"ttfa_ms": {"n": 1, "p50": 301.0, "p90": 301.0, "p99": 301.0}},
}


def test_turn_report_keeps_the_listener_figures_and_the_server_timeline() -> None:
    report = TurnReport.from_payload(TURN)
    assert report.mic_to_speaker_ms == 648.7 and report.mic_to_audible_ms == 1040.0
    assert report.turn_index == report.timeline.turn_index == 2
    assert report.number == 3  # for people, turns count from 1
    assert report.timeline.ttfa_ms == 301.0
    assert report.timeline.stages_ms["first_audio_delta"] == 2400.1
    assert report.underruns == 1 and report.jitter_buffer_ms == 60.0
    assert report.summary["ttfa_ms"]["p50"] == 301.0


def test_an_unheard_turn_has_no_listener_figures() -> None:
    payload = {**TURN, "status": "cancelled", "item_id": None, "mic_to_speaker_ms": None}
    payload["mic_to_audible_ms"] = None
    report = TurnReport.from_payload(payload)
    assert report.status == "cancelled" and report.mic_to_speaker_ms is None


@pytest.mark.parametrize(
    ("path", "bad", "field"),
    [
        (("status",), "done", "status"),
        (("mic_to_speaker_ms",), "648", "mic_to_speaker_ms"),
        (("mic_to_speaker_ms",), True, "mic_to_speaker_ms"),
        (("mic_to_speaker_ms",), float("nan"), "mic_to_speaker_ms"),
        (("output_latency_ms",), float("inf"), "output_latency_ms"),
        (("item_id",), 5, "item_id"),
        (("item_id",), "x" * 10_000, "item_id"),
        (("user_text",), "x" * (MAX_TEXT_CHARS + 1), "user_text"),
        (("timeline",), [], "timeline"),
        (("timeline", "stages_ms", "commit"), "soon", "commit"),
        (("summary",), "fast", "summary"),
    ],
)
def test_a_bad_turn_payload_names_the_field(path: tuple[str, ...], bad: Any, field: str) -> None:
    payload = copy.deepcopy(TURN)
    target = payload
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    with pytest.raises(PayloadError, match=field) as info:
        TurnReport.from_payload(payload)
    assert isinstance(info.value, WorkbenchError) and info.value.code == "bad_event_payload"


def test_payloads_that_are_not_objects_are_refused() -> None:
    for parse in (TurnReport.from_payload, SessionError.from_payload, RealtimeLog.from_payload):
        for junk in (None, "turn", 3, [TURN]):
            with pytest.raises(PayloadError, match="must be an object"):
                parse(junk)


def test_too_many_stages_are_refused() -> None:
    payload = copy.deepcopy(TURN)
    payload["timeline"]["stages_ms"] = {f"s{i}": float(i) for i in range(1000)}
    with pytest.raises(PayloadError, match="at most"):
        TurnReport.from_payload(payload)


def test_the_session_log_is_bounded_and_typed() -> None:
    entry = {"role": "user", "item_id": "item_3", "text": "hear me"}
    log = RealtimeLog.from_payload({"session_id": "s1", "turns": [TURN], "transcript": [entry]})
    assert log.session_id == "s1" and log.turns[0] == TurnReport.from_payload(TURN)
    assert log.transcript[0].role == "user"
    with pytest.raises(PayloadError, match="at most"):
        RealtimeLog.from_payload({"turns": [TURN] * (MAX_LOG_TURNS + 1)})
    with pytest.raises(PayloadError, match="role"):
        RealtimeLog.from_payload({"transcript": [{**entry, "role": "system"}]})


def test_event_data_parses_before_the_handler_runs() -> None:
    start = {
        "session_id": "s1",
        "backend": "mock",
        "description": "built-in mock model",
        "dialect": "ga",
        "is_mock": True,
        "context_rate_hz": 24000,
        "output_latency_ms": 30.0,
    }
    assert SessionStartEvent(None, start).session.context_rate_hz == 24000
    assert TurnEvent(None, TURN).turn.mic_to_speaker_ms == 648.7
    entry = TranscriptEvent(None, {"role": "assistant", "item_id": "i", "text": "hi"}).entry
    assert entry.text == "hi"
    error = {
        "code": "bad_settings",
        "message": "chunk_ms (Chunk size (ms)): must be between 5 and 1000, got '3'",
    }
    flags = {"retryable": False, "fatal": True, "source": "server"}
    parsed = SessionErrorEvent(None, {**error, **flags})
    assert parsed.error.message == error["message"] and parsed.error.fatal
    end = SessionEndEvent(None, {"reason": "stopped", "code": 1000, "message": None}).end
    assert end == SessionEnd(reason="stopped", close_code=1000, message=None)
    with pytest.raises(PayloadError):
        TurnEvent(None, {"status": "completed", "timeline": "late"})
