"""Settings tab: validation, mapping to relay/mock configuration, the apply handler."""

from __future__ import annotations

from typing import Any

import pytest

from workbench.app.ui.blocks import SETTING_FIELDS, apply_settings, header_html, status_text
from workbench.app.ui.settings_model import AppContext, UiSettings, parse_settings
from workbench.backends.inprocess import InProcessBackend
from workbench.config import WorkbenchSettings
from workbench.errors import ConfigError
from workbench.mock.config import MockConfig
from workbench.protocol.settings import NoTurnDetection, SemanticVad, ServerVad


def test_defaults_are_valid_and_complete() -> None:
    settings = parse_settings({})
    assert settings == UiSettings()
    assert set(SETTING_FIELDS) == set(settings.as_dict())


def test_form_values_arrive_as_gradio_sends_them() -> None:
    settings = parse_settings(
        {
            "chunk_ms": 20,
            "vad_threshold": "0.7",
            "vad_prefix_padding_ms": 200.0,
            "vad_silence_ms": 350,
            "voice": " alloy ",
            "instructions": " be brief ",
            "mock_ttfa_ms": 120,
            "mock_speed_x": 2,
            "mock_jitter_ms": 5,
        }
    )
    assert settings.chunk_ms == 20.0
    assert settings.vad_prefix_padding_ms == 200 and isinstance(settings.vad_prefix_padding_ms, int)
    assert settings.voice == "alloy" and settings.instructions == "be brief"


@pytest.mark.parametrize(
    ("values", "fragment"),
    [
        ({"chunk_ms": 2}, "chunk_ms must be between 5 and 1000"),
        ({"chunk_ms": None}, "chunk (ms) is empty"),
        ({"chunk_ms": "fast"}, "chunk (ms) must be a number"),
        ({"chunk_ms": float("nan")}, "finite"),
        ({"vad_threshold": 1.5}, "threshold must be between 0 and 1"),
        ({"vad_silence_ms": 20.5}, "whole number"),
        ({"vad_silence_ms": -1}, "silence_duration_ms"),
        ({"resampler": "magic"}, "resampler must be one of"),
        ({"turn_detection": "psychic"}, "turn detection must be one of"),
        ({"backend": "cloud"}, "backend must be"),
        ({"mock_ttfa_ms": -5}, "mock time to first audio"),
        ({"mock_speed_x": 0}, "mock speed"),
        ({"voice": "<script>"}, "voice must be a name"),
        ({"colour": "red"}, "unknown setting"),
    ],
)
def test_invalid_values_are_refused_with_a_message_naming_them(
    values: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(values)
    assert fragment in info.value.message


def test_turn_detection_maps_to_protocol_objects() -> None:
    vad = parse_settings(
        {
            "turn_detection": "server_vad",
            "vad_threshold": 0.3,
            "vad_prefix_padding_ms": 100,
            "vad_silence_ms": 250,
        }
    )
    assert vad.relay_config().turn_detection == ServerVad(0.3, 100, 250)
    assert isinstance(vad.relay_config(manual_commit=True).turn_detection, NoTurnDetection)
    semantic = parse_settings({"turn_detection": "semantic_vad", "vad_eagerness": "high"})
    assert semantic.relay_config().turn_detection == SemanticVad(eagerness="high")
    none = parse_settings({"turn_detection": "none"}).relay_config().turn_detection
    assert isinstance(none, NoTurnDetection)


def test_empty_voice_and_instructions_mean_model_default() -> None:
    config = UiSettings().relay_config()
    assert config.voice is None and config.instructions is None


def test_mock_latency_settings_reach_the_backend() -> None:
    ctx = AppContext(env=WorkbenchSettings(), mock_base=MockConfig(behaviour="tone"))
    settings = parse_settings({"mock_ttfa_ms": 123, "mock_speed_x": 4, "mock_jitter_ms": 7})
    backend = ctx.backend_for(settings)
    assert isinstance(backend, InProcessBackend)
    assert backend.config.behaviour == "tone"
    assert backend.config.latency.ttfa_ms == 123
    assert backend.config.latency.speed_x_realtime == 4
    assert backend.config.latency.jitter_ms == 7
    assert "123 ms" in ctx.describe(settings)


def test_mock_choice_overrides_a_configured_real_backend() -> None:
    from workbench.config import Secret

    env = WorkbenchSettings(backend="openai", openai_api_key=Secret("sk-test-not-real"))
    ctx = AppContext(env=env)
    assert isinstance(ctx.backend_for(UiSettings(backend="mock")), InProcessBackend)
    assert not ctx.env_is_mock
    html = header_html(ctx, UiSettings(backend="env"))
    assert "sk-test" not in html and "OPENAI" in html


def test_apply_keeps_the_old_settings_and_says_why_on_a_bad_value() -> None:
    ctx = AppContext()
    current = UiSettings(chunk_ms=20)
    kept, status, header = apply_settings(ctx, current, {"chunk_ms": 0, "voice": "x"})
    assert kept is current
    assert header is None
    assert "Not applied" in status_text(status) and "chunk_ms" in status_text(status)
    new, status, header = apply_settings(ctx, current, {"chunk_ms": 60})
    assert new.chunk_ms == 60 and header is not None and "Applied" in status_text(status)
