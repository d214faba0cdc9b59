"""From settings to the relay's and the mock's configuration, in one place."""

from __future__ import annotations

from workbench.backends.environment import BackendEnvironment, Secret
from workbench.backends.inprocess import InProcessBackend
from workbench.mock.config import MockConfig
from workbench.protocol.settings import NoTurnDetection, SemanticVad, ServerVad
from workbench.service import BackendResolver
from workbench.service.relay_config import relay_config
from workbench.settings import RelaySettings, ServerSettings


def test_turn_detection_maps_to_protocol_objects() -> None:
    server = ServerSettings()
    vad = RelaySettings(vad_threshold=0.3, vad_prefix_padding_ms=100, vad_silence_ms=250)
    assert relay_config(vad, server).turn_detection == ServerVad(0.3, 100, 250)
    assert isinstance(relay_config(vad, server, manual_commit=True).turn_detection, NoTurnDetection)
    semantic = RelaySettings(turn_detection="semantic_vad", vad_eagerness="high")
    assert relay_config(semantic, server).turn_detection == SemanticVad(eagerness="high")


def test_server_limits_and_session_choices_meet_in_the_relay_config() -> None:
    server = ServerSettings(response_timeout_s=3.0, max_input_audio_s=12.0)
    config = relay_config(RelaySettings(chunk_ms=20), server, max_reconnects=0)
    assert (config.chunk_ms, config.response_timeout_s, config.max_reconnects) == (20.0, 3.0, 0)
    assert config.max_input_duration_s == 12.0
    assert config.voice is None and config.instructions is None  # empty = model default


def test_mock_latency_settings_reach_the_backend() -> None:
    resolver = BackendResolver(env=BackendEnvironment(), mock_base=MockConfig(behaviour="tone"))
    settings = RelaySettings(mock_ttfa_ms=123, mock_speed_x=4, mock_jitter_ms=7)
    backend = resolver.backend_for(settings)
    assert isinstance(backend, InProcessBackend)
    assert backend.config.behaviour == "tone"
    latency = backend.config.latency
    assert (latency.ttfa_ms, latency.speed_x_realtime, latency.jitter_ms) == (123, 4, 7)
    assert "123 ms" in resolver.describe(settings)


def test_mock_choice_overrides_a_configured_real_backend() -> None:
    env = BackendEnvironment(backend="openai", openai_api_key=Secret("sk-test-not-real"))
    resolver = BackendResolver(env=env)
    assert isinstance(resolver.backend_for(RelaySettings(backend_source="mock")), InProcessBackend)
    assert not resolver.env_is_mock


def test_tools_and_the_audio_format_reach_the_session_update() -> None:
    from workbench.service.tools import DEMO_TOOL_DEFINITIONS

    server = ServerSettings()
    plain = relay_config(RelaySettings(), server).session_settings()
    assert plain.tools is None and plain.input_audio_format == "pcm16"
    for mode in ("demo", "client"):
        phone = RelaySettings(tools=mode, audio_format="g711_ulaw")
        session = relay_config(phone, server).session_settings()
        assert session.tools == DEMO_TOOL_DEFINITIONS and session.tool_choice == "auto"
        assert session.input_audio_format == session.output_audio_format == "g711_ulaw"
