"""The relay through the real openai SDK against the WebSocket mock on 127.0.0.1."""

from __future__ import annotations

import asyncio

import pytest

from tests.support.signals import AUDIO_DIR, load_ref, pcm16_to_f32, peak_correlation
from workbench.backends.openai_sdk import OpenAISdkBackend, SdkSettings
from workbench.errors import UpstreamError
from workbench.mock.model import LatencyModel, MockConfig
from workbench.mock.server import serve_mock
from workbench.protocol.dialects import Dialect
from workbench.relay import AudioOut, Relay, SessionInfo, TurnDone


@pytest.mark.parametrize("dialect", [Dialect.GA, Dialect.PREVIEW])
async def test_echo_round_trip_through_the_sdk(dialect: Dialect) -> None:
    config = MockConfig(latency=LatencyModel(ttfa_ms=50.0, speed_x_realtime=20.0))
    async with serve_mock(config) as server:
        settings = SdkSettings(
            target="mock-server", model="gpt-realtime", dialect=dialect, endpoint=server.url
        )
        backend = OpenAISdkBackend(settings)
        async with Relay(backend) as relay:
            await relay.send_file(AUDIO_DIR / "en_hear_48k_pcm16.wav")
            async with asyncio.timeout(20):
                events = [e async for e in relay.events_until_turn_done()]
        await server.wait_idle(timeout_s=2.0)
        assert server.active_connections == 0
    info = events[0]
    assert isinstance(info, SessionInfo) and info.dialect == dialect.value and info.is_mock
    reply = pcm16_to_f32(b"".join(e.pcm16 for e in events if isinstance(e, AudioOut)))
    assert peak_correlation(reply, load_ref()) > 0.95
    assert [e.status for e in events if isinstance(e, TurnDone)] == ["completed"]


async def test_unreachable_upstream_fails_at_start_with_a_typed_error() -> None:
    async with serve_mock() as server:
        url = server.url
    settings = SdkSettings(target="mock-server", model="m", endpoint=url)
    with pytest.raises(UpstreamError) as info:
        async with Relay(OpenAISdkBackend(settings, connect_timeout_s=2.0)):
            pass
    assert info.value.code == "upstream_unreachable"


async def test_wrong_key_is_refused_without_echoing_the_key() -> None:
    async with serve_mock(expected_key="right-key") as server:
        settings = SdkSettings(
            target="mock-server", model="m", endpoint=server.url, api_key="sk-wrong-secret"
        )
        with pytest.raises(UpstreamError) as info:
            async with Relay(OpenAISdkBackend(settings)):
                pass
    assert info.value.code == "upstream_auth"
    assert "sk-wrong-secret" not in str(info.value)
