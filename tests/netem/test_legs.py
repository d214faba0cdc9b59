"""Each leg behind a profile through the one service: relay ↔ model by the session's
``upstream_net_profile``, client ↔ relay by the server's ``client_net_profile``."""

from __future__ import annotations

import asyncio
import json
import time

import pytest
from websockets.asyncio.client import connect

from tests.e2e.api_harness import make_app, mock_backend, serve
from tests.e2e.test_api_ws import is_type, until, ws_url
from tests.support.services import make_service
from tests.support.signals import AUDIO_DIR
from workbench.backends.impaired import ImpairedBackend
from workbench.backends.inprocess import InProcessBackend
from workbench.clock import VirtualClock
from workbench.mock.model import LatencyModel, MockConfig
from workbench.netem.profiles import PROFILES
from workbench.relay import TurnDone
from workbench.service import EndReason
from workbench.settings import RelaySettings


async def _model_ttfb_ms(profile: str) -> tuple[float, str]:
    clock = VirtualClock()
    mock = MockConfig(behaviour="echo", latency=LatencyModel(ttfa_ms=300.0))
    async with make_service(InProcessBackend(mock, clock=clock), clock=clock) as service:
        settings = RelaySettings(upstream_net_profile=profile)
        session = service.open("cli", settings, manual_commit=True)
        await session.send_clip(AUDIO_DIR / "en_hear_48k_pcm16.wav")
        async with asyncio.timeout(30):
            done = [e async for e in session.events(until_turn_done=True)][-1]
        await session.close(EndReason.COMPLETED)
    assert isinstance(done, TurnDone) and done.status == "completed"
    ttfb = done.timeline.model_ttfb_ms
    assert ttfb is not None
    return ttfb, session.record.backend


async def test_a_sessions_upstream_profile_puts_its_model_leg_behind_that_profile() -> None:
    plain_ms, plain_backend = await _model_ttfb_ms("none")
    far_ms, far_backend = await _model_ttfb_ms("intercontinental")
    assert plain_ms == pytest.approx(300.0, abs=1.0)
    # The commit crosses up (88 ms), the first delta down (88 ms); the jitter scale is
    # 2 ms each way (pareto: at least -2/3 of it).
    rtt = PROFILES["intercontinental"].base_rtt_ms
    assert rtt - 3.0 <= far_ms - plain_ms <= rtt + 20.0
    assert "intercontinental" in far_backend and "intercontinental" not in plain_backend


def test_the_resolver_wraps_any_backend_only_when_a_profile_is_chosen() -> None:
    service = make_service(mock_backend())
    assert not isinstance(service.backend_for(RelaySettings()), ImpairedBackend)
    impaired = service.backend_for(RelaySettings(upstream_net_profile="4g"))
    assert isinstance(impaired, ImpairedBackend) and impaired.profile.name == "4g"
    assert impaired.clock is service.clock


async def test_a_settings_message_can_choose_the_upstream_profile_before_audio() -> None:
    app = make_app(mock_backend())
    async with serve(app) as url, connect(ws_url(url)) as ws:
        await ws.send(json.dumps({"type": "settings", "upstream_net_profile": "3g-lossy"}))
        got = await until(ws, is_type("session"))
        await ws.send(json.dumps({"type": "settings", "upstream_net_profile": "moon"}))
        await until(ws, is_type("error"), got)
    assert "3g-lossy" in got.of("session")[0]["description"]
    error = got.of("error")[0]
    assert error["code"] == "bad_settings" and "4g" in error["message"]  # lists the choices


async def _ping_rtts(url: str, n: int = 4) -> list[float]:
    async with connect(ws_url(url)) as ws:
        await until(ws, is_type("session"))
        rtts = []
        for i in range(n):
            t0 = time.monotonic()
            await ws.send(json.dumps({"type": "clock_ping", "client_ms": i}))
            await until(ws, is_type("clock_pong"))
            rtts.append((time.monotonic() - t0) * 1000.0)
    return rtts


async def test_the_servers_client_profile_puts_every_websocket_behind_it() -> None:
    async with serve(make_app(mock_backend(), client_net_profile="intercontinental")) as url:
        rtts = await _ping_rtts(url)
    # A ping crosses the uplink and its pong the downlink: at least the base RTT less
    # the jitter's lowest draw (2/3 of 2 ms each way).
    assert min(rtts) >= PROFILES["intercontinental"].base_rtt_ms - 3.0


async def test_a_whole_turn_crosses_the_impaired_client_leg() -> None:
    from tests.e2e.test_api_ws import pcm_48k, send_audio

    app = make_app(mock_backend(), client_net_profile="4g")
    async with (
        serve(app) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got, timeout_s=20)
        await ws.send(json.dumps({"type": "close"}))
        await until(ws, is_type("session_ended"), got)
    assert got.of("turn_done")[0]["status"] == "completed"
    assert len(got.audio) > 0.9 * len(pcm_48k()) / 2  # the 24 kHz echo, intact
