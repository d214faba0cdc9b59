"""The WebSocket client protocol, parsed without a socket (sans-I/O)."""

from __future__ import annotations

import json

import pytest

from workbench.app.api.ws_client_messages import (
    ClientMessageError,
    ClockPing,
    Close,
    Commit,
    Interrupt,
    Playout,
    SettingsMessage,
    ToolOutputMessage,
    TurnReport,
    merge_settings,
    parse_client_text,
    parse_clock_ping,
    settings_from_query,
)
from workbench.relay.voice_to_voice import TurnAudioReport
from workbench.settings import RelaySettings


def test_control_messages_parse_to_typed_messages() -> None:
    assert parse_client_text('{"type":"commit"}') == Commit()
    assert parse_client_text('{"type":"close"}') == Close()
    assert parse_client_text('{"type":"interrupt","played_ms":120}') == Interrupt(120.0)
    assert parse_client_text('{"type":"interrupt"}') == Interrupt(None)
    assert parse_client_text('{"type":"playout","played_ms":80.5,"item_id":"it"}') == Playout(
        80.5, "it"
    )
    assert parse_client_text(
        '{"type":"tool_output","call_id":"call_1","output":"{\\"t\\":1}"}'
    ) == ToolOutputMessage("call_1", '{"t":1}')
    settings = parse_client_text('{"type":"settings","sample_rate_hz":16000}')
    assert isinstance(settings, SettingsMessage) and settings.values == {"sample_rate_hz": 16000}


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("{not json", "bad_json"),
        ("[1, 2]", "bad_message"),
        ('"commit"', "bad_message"),
        ('{"kind":"commit"}', "bad_message"),
        ('{"type":"dance"}', "unknown_type"),
        ('{"type":"playout"}', "bad_field"),
        ('{"type":"playout","played_ms":-1}', "bad_field"),
        ('{"type":"playout","played_ms":true}', "bad_field"),
        ('{"type":"playout","played_ms":5,"item_id":7}', "bad_field"),
        ('{"type":"interrupt","played_ms":"soon"}', "bad_field"),
        ('{"type":"tool_output","output":"x"}', "bad_field"),
        ('{"type":"tool_output","call_id":"","output":"x"}', "bad_field"),
        ('{"type":"tool_output","call_id":"' + "c" * 300 + '","output":"x"}', "bad_field"),
        ('{"type":"tool_output","call_id":"c","output":{"t":1}}', "bad_field"),
        ("[" * 100_000 + "]" * 100_000, "message_too_large"),
        ('{"type":"playout","played_ms":' + "9" * 401 + "}", "bad_field"),
        ('{"type":"clock_ping"}', "bad_field"),
        ('{"type":"clock_ping","client_ms":"now"}', "bad_field"),
        ('{"type":"clock_ping","client_ms":' + "9" * 401 + "}", "bad_field"),
        ('{"type":"clock_ping","client_ms":1e400}', "bad_field"),
        ('{"type":"turn_report"}', "bad_field"),
        ('{"type":"turn_report","response_id":""}', "bad_field"),
        ('{"type":"turn_report","response_id":7}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","speech_end_ms":"1"}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","speech_end_ms":true}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","first_audible_ms":1e400}', "bad_field"),
        (
            '{"type":"turn_report","response_id":"r","first_audible_ms":' + "9" * 401 + "}",
            "bad_field",
        ),
        ('{"type":"turn_report","response_id":"r","output_latency_ms":-3}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","jitter_buffer_ms":1e12}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","underruns":1.5}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","underruns":1e30}', "bad_field"),
        ('{"type":"turn_report","response_id":"r","speech_end_input_ms":-1}', "bad_field"),
    ],
)
def test_bad_messages_name_their_problem(text: str, code: str) -> None:
    with pytest.raises(ClientMessageError) as info:
        parse_client_text(text, max_bytes=64 * 1024)
    assert info.value.code == code
    assert info.value.message


def test_clock_ping_and_turn_report_parse_to_typed_messages() -> None:
    assert parse_client_text('{"type":"clock_ping","client_ms":12.5}') == ClockPing(12.5)
    text = json.dumps(
        {
            "type": "turn_report",
            "response_id": "resp_1",
            "speech_end_ms": 1000.0,
            "speech_end_input_ms": 1500,
            "first_audio_received_ms": 1900,
            "first_sample_ms": 1950.0,
            "first_audible_ms": 2000.5,
            "output_latency_ms": 12,
            "jitter_buffer_ms": 40,
            "underruns": 2.0,
            "clock_uncertainty_ms": 0.4,
            "future_field": "ignored",
        }
    )
    assert parse_client_text(text) == TurnReport(
        TurnAudioReport(
            "resp_1",
            speech_end_ms=1000.0,
            speech_end_input_ms=1500.0,
            first_audio_received_ms=1900.0,
            first_sample_ms=1950.0,
            first_audible_ms=2000.5,
            output_latency_ms=12.0,
            jitter_buffer_ms=40.0,
            underruns=2,
            clock_uncertainty_ms=0.4,
        )
    )
    # Only the response id is required; nulls are "not measured".
    sparse = parse_client_text('{"type":"turn_report","response_id":"r","first_sample_ms":null}')
    assert sparse == TurnReport(TurnAudioReport("r"))


def test_bad_report_values_name_the_field() -> None:
    with pytest.raises(ClientMessageError, match="output_latency_ms"):
        parse_client_text('{"type":"turn_report","response_id":"r","output_latency_ms":-3}')


def test_clock_pings_are_recognised_cheaply_and_nothing_else_is() -> None:
    assert parse_clock_ping('{"type":"clock_ping","client_ms":5}') == ClockPing(5.0)
    assert parse_clock_ping('{"type":"commit"}') is None
    assert parse_clock_ping('{"type":"clock_ping"}') is None  # bad: left to the processor
    assert parse_clock_ping('{"type":"settings","voice":"clock_ping"}') is None
    assert parse_clock_ping('{"type":"clock_ping","client_ms":5,"pad":"' + "x" * 300 + '"}') is None


def test_deeply_nested_json_under_the_size_limit_is_bad_json_not_a_crash() -> None:
    with pytest.raises(ClientMessageError) as info:
        parse_client_text("[" * 30_000 + "]" * 30_000, max_bytes=64 * 1024)
    assert info.value.code == "bad_json"


def test_size_limit_counts_utf8_bytes() -> None:
    text = json.dumps({"type": "commit", "pad": "é" * 40})
    with pytest.raises(ClientMessageError):
        parse_client_text(text, max_bytes=60)


def test_query_settings_defaults_and_conversion() -> None:
    base = RelaySettings()
    assert settings_from_query({}, base) == base
    s = settings_from_query(
        {
            "sample_rate_hz": "48000",
            "turn_detection": "none",
            "chunk_ms": "20",
            "vad_threshold": "0.7",
            "cache": "x",
        },
        base,
    )
    assert (s.sample_rate_hz, s.turn_detection, s.chunk_ms, s.vad_threshold) == (
        48000,
        "none",
        20.0,
        0.7,
    )


@pytest.mark.parametrize(
    "values",
    [
        {"sample_rate_hz": "7999"},
        {"sample_rate_hz": 96001},
        {"sample_rate_hz": "fast"},
        {"sample_rate_hz": 16000.5},
        {"turn_detection": "always"},
        {"chunk_ms": 0},
        {"vad_threshold": 2},
        {"vad_silence_ms": -5},
        {"voice": "x" * 65},
        {"instructions": 42},
        {"colour": "blue"},
    ],
)
def test_bad_settings_are_refused_with_bad_settings(values: dict[str, object]) -> None:
    with pytest.raises(ClientMessageError) as info:
        merge_settings(RelaySettings(), values)
    assert info.value.code == "bad_settings"


def test_every_bad_setting_is_named_at_once_with_its_label() -> None:
    with pytest.raises(ClientMessageError) as info:
        merge_settings(RelaySettings(), {"chunk_ms": "3", "vad_threshold": 2, "colour": "x"})
    message = info.value.message
    assert "chunk_ms (Chunk size (ms)): must be between 5 and 1000, got '3'" in message
    assert "vad_threshold (VAD threshold): must be between 0 and 1, got 2" in message
    assert "colour" in message


def test_null_resets_to_default() -> None:
    defaults = RelaySettings()
    s = merge_settings(
        RelaySettings(sample_rate_hz=16000, voice="alloy"),
        {"sample_rate_hz": None, "voice": None},
        defaults,
    )
    assert s.sample_rate_hz == 24000 and s.voice == ""
