"""The component's settings: refused in Python with the server's own words."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.app.api.ws_client_messages import ClientMessageError, merge_settings
from workbench.app.ui.realtime_audio.props import ClientSettings
from workbench.errors import ConfigError
from workbench.settings import RelaySettings

GOOD: dict[str, Any] = {
    "ws_path": "/ws/realtime",
    "session": None,
    "surface": None,
    "turn_detection": "server_vad",
    "vad_threshold": None,
    "vad_prefix_padding_ms": None,
    "vad_silence_ms": 300,
    "vad_eagerness": None,
    "chunk_ms": 20.0,
    "prebuffer_ms": 60.0,
    "context_rate_hz": 24_000,
    "latency_hint": "interactive",
    "echo_cancellation": True,
    "voice": None,
    "instructions": None,
}


def test_good_settings_become_the_query_the_server_parses() -> None:
    settings = ClientSettings(**GOOD)
    parsed = merge_settings(RelaySettings(), settings.server_settings())
    assert parsed.vad_silence_ms == 300 and parsed.chunk_ms == 20.0
    assert "vad_threshold" not in settings.server_settings()  # None: the server's default
    assert settings.to_props()["context_rate_hz"] == 24_000


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"chunk_ms": 3}, "chunk_ms"),
        ({"turn_detection": "push_to_talk"}, "turn_detection"),
        ({"vad_silence_ms": 20_000}, "vad_silence_ms"),
        ({"vad_threshold": 1.5}, "vad_threshold"),
        ({"voice": "v" * 100}, "voice"),
        ({"vad_eagerness": "eager"}, "vad_eagerness"),
    ],
)
def test_server_settings_are_refused_with_the_servers_message(
    change: dict[str, Any], key: str
) -> None:
    with pytest.raises(ClientMessageError) as server:
        merge_settings(RelaySettings(), change)
    with pytest.raises(ConfigError) as ours:
        ClientSettings(**{**GOOD, **change})
    assert ours.value.message == server.value.message and key in ours.value.message


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"prebuffer_ms": -1}, "prebuffer_ms"),
        ({"prebuffer_ms": 5000}, "prebuffer_ms"),
        ({"context_rate_hz": 1000}, "context_rate_hz"),
        ({"ws_path": " "}, "ws_path"),
        ({"latency_hint": "fast"}, "latency_hint"),
        ({"latency_hint": -0.01}, "latency_hint"),
        ({"latency_hint": True}, "latency_hint"),
    ],
)
def test_client_only_settings_are_checked_too(change: dict[str, Any], key: str) -> None:
    with pytest.raises(ConfigError, match=key):
        ClientSettings(**{**GOOD, **change})


def test_device_rate_is_allowed() -> None:
    assert ClientSettings(**{**GOOD, "context_rate_hz": None}).context_rate_hz is None


def test_relay_settings_are_sent_whole_and_explicit_values_win() -> None:
    from workbench.app.ui.realtime_audio.props import session_settings

    chosen = RelaySettings(chunk_ms=20, vad_silence_ms=300, backend_source="mock", voice="alloy")
    session = session_settings(chosen)
    assert "sample_rate_hz" not in session  # the browser declares its AudioContext's rate
    settings = ClientSettings(**{**GOOD, "session": session, "vad_silence_ms": 250})
    query = {k: str(v) for k, v in settings.server_settings().items()}
    parsed = merge_settings(RelaySettings(), query)
    # Every choice of the Settings tab reaches the server, whatever its defaults.
    assert parsed.backend_source == "mock" and parsed.voice == "alloy" and parsed.chunk_ms == 20
    assert parsed.vad_silence_ms == 250  # the explicit argument wins
    assert settings.effective_turn_detection == "server_vad"
    unknown = ClientSettings(**{**GOOD, "turn_detection": None})
    assert unknown.effective_turn_detection is None  # the server's default decides


def test_bad_session_settings_and_surfaces_are_refused() -> None:
    with pytest.raises(ConfigError, match="chunk_ms"):
        ClientSettings(**{**GOOD, "session": {"chunk_ms": 2}, "chunk_ms": None})
    with pytest.raises(ConfigError, match="no_such_setting"):
        ClientSettings(**{**GOOD, "session": {"no_such_setting": 1}})
    with pytest.raises(ConfigError, match="surface must be one of talk"):
        ClientSettings(**{**GOOD, "surface": "kiosk"})
