"""The Talk tab: microphone chunks feed a relay, replies stream back, barge-in, limits."""

from __future__ import annotations

import asyncio
from typing import Any

import numpy as np
import pytest

from tests.app.ui.ui_helpers import (
    AUDIO_DIR,
    best_correlation,
    envelope,
    read_wav_int16,
    request,
    ui_service,
    wav_to_pcm16,
)
from workbench.app.ui.render import status_html
from workbench.app.ui.talk_native import TalkHandlers, _Sent, render_view
from workbench.app.ui.talk_session import STOP_AUDIO, TalkRegistry, TalkSession, TalkView
from workbench.backends.environment import BackendEnvironment
from workbench.errors import WorkbenchError
from workbench.mock.config import LatencyModel, MockConfig
from workbench.service import BackendResolver, SessionService
from workbench.settings import RelaySettings, ServerSettings


async def _feed_clip(session: TalkSession, silence_s: float = 0.0) -> np.ndarray:
    """Feed a 48 kHz clip in 100 ms chunks, the way Gradio's microphone stream does."""
    rate, samples = read_wav_int16(AUDIO_DIR / "en_hear_48k_pcm16.wav")
    samples = np.concatenate([samples, np.zeros(int(rate * silence_s), dtype=np.int16)])
    step = rate // 10
    for i in range(0, len(samples), step):
        await session.feed(rate, samples[i : i + step])
    return samples


async def _collect(session: TalkSession, max_s: float = 10.0) -> tuple[list[TalkView], bytes]:
    views: list[TalkView] = []
    async with asyncio.timeout(max_s + 5):
        async for view in session.watch(max_s=max_s):
            views.append(view)
    pcm = b"".join(wav_to_pcm16(v.audio) for v in views if v.audio)
    return views, pcm


async def test_manual_turn_streams_the_echo_back() -> None:
    session = TalkSession(
        ui_service(), RelaySettings(turn_detection="none", mock_ttfa_ms=40, mock_speed_x=50)
    )
    await session.start()
    try:
        assert session.live and "mock" in session.backend_description
        sent = await _feed_clip(session)
        await session.commit()
        views, pcm = await _collect(session)
    finally:
        await session.stop()
    reply = np.frombuffer(pcm, dtype="<i2")
    assert abs(len(reply) / 24_000 - len(sent) / 48_000) < 0.1  # the whole echo came back
    assert best_correlation(envelope(reply, 24_000), envelope(sent, 48_000)) > 0.9
    last = views[-1]
    assert last.last_turn is not None and last.timeline_version == 1
    assert last.summary["ttfa_ms"]["n"] == 1
    assert any(v.level_dbfs > -40 for v in views if v.audio)
    assert last.level_dbfs == -100.0  # the meter falls back after the reply
    assert session.status() == ("Ended: stopped", "info")


async def test_server_vad_ends_the_turn_by_itself() -> None:
    session = TalkSession(
        ui_service(),
        RelaySettings(
            turn_detection="server_vad", vad_silence_ms=300, mock_ttfa_ms=40, mock_speed_x=50
        ),
    )
    await session.start()
    try:
        await _feed_clip(session, silence_s=1.0)
        views, pcm = await _collect(session)
    finally:
        await session.stop()
    assert len(pcm) > 24_000  # more than half a second of echo
    assert views[-1].last_turn is not None
    assert "speech_stopped" in views[-1].last_turn["stages_ms"]


async def test_interrupt_stops_the_player_and_truncates() -> None:
    session = TalkSession(
        ui_service(), RelaySettings(turn_detection="none", mock_ttfa_ms=20, mock_speed_x=1)
    )
    await session.start()
    views: list[TalkView] = []
    try:
        await _feed_clip(session)
        await session.commit()
        async with asyncio.timeout(10):
            async for view in session.watch(max_s=10):
                views.append(view)
                if view.audio and view.audio != STOP_AUDIO:
                    session.on_browser_play()
                    await session.interrupt()
    finally:
        await session.stop()
    assert views[-1].audio == STOP_AUDIO
    assert any("interrupted" in m["content"] for m in views[-1].messages)


async def test_feeding_after_stop_is_ignored_and_stop_is_idempotent() -> None:
    session = TalkSession(ui_service(), RelaySettings())
    await session.start()
    await session.stop()
    await session.feed(16_000, np.zeros(1600, dtype=np.int16))
    await session.stop()
    assert not session.live


async def test_the_service_limits_talk_sessions_and_a_tab_replaces_its_own() -> None:
    svc = ui_service()
    svc.server = ServerSettings(max_sessions=1)
    registry = TalkRegistry()
    first = await registry.open("a", svc, svc.defaults)
    assert svc.health()["active_sessions_by_kind"] == {"talk": 1}
    with pytest.raises(WorkbenchError) as info:
        await registry.open("b", svc, svc.defaults)
    assert info.value.code == "too_many_sessions"
    again = await registry.open("a", svc, svc.defaults)  # same browser tab: replaces
    assert not first.live and again.live and len(registry) == 1
    await registry.close_all()
    assert len(registry) == 0 and not again.live and not svc.live


async def test_handlers_feed_the_relay_and_show_errors() -> None:
    svc = ui_service(turn_detection="none")
    handlers = TalkHandlers(svc, TalkRegistry())
    req = request("tab-1")
    out = await handlers.on_start(svc.defaults, req)
    assert "Listening" in out[0] and "Send turn" in out[0]
    session = handlers.registry.get("tab-1")
    assert session is not None and session.relay is not None
    rate, samples = read_wav_int16(AUDIO_DIR / "en_hear_48k_pcm16.wav")
    await handlers.on_mic((rate, samples[: rate // 2]), req)  # what the mic stream delivers
    await handlers.on_mic(None, req)
    assert session.relay.input_ms_sent > 400
    await handlers.on_commit(req)
    outputs: list[tuple[Any, ...]] = []
    async with asyncio.timeout(15):
        async for out in handlers.on_tick(req):
            outputs.append(out)
    assert any(isinstance(o[0], bytes) for o in outputs)  # reply audio chunks (WAV)
    assert any(o[3] is not None and hasattr(o[3], "axes") for o in outputs)  # the plot
    stopped = await handlers.on_stop(req)
    assert "Ended: stopped" in stopped[0]
    with pytest.warns(UserWarning, match="press Start"):
        await handlers.on_commit(req)


async def test_start_failure_is_a_message_not_an_exception() -> None:
    env = BackendEnvironment(backend="mock-server", mock_url="ws://127.0.0.1:9")
    svc = SessionService(resolver=BackendResolver(env=env, connect_timeout_s=2.0))
    handlers = TalkHandlers(svc, TalkRegistry())
    with pytest.warns(UserWarning, match="Could not start"):
        out = await handlers.on_start(RelaySettings(), request())
    assert "Could not start" in out[0] and "wb-error" in out[0]
    assert handlers.registry.get("browser-1") is None


def test_render_view_skips_unchanged_outputs() -> None:
    view = TalkView(
        b"RIFF....", [{"role": "user", "content": "hi"}], -20.0, "Live", "live", None, {}, 0
    )
    sent = _Sent()
    first = render_view(view, sent)
    assert first[0] == b"RIFF...." and first[1] == view.messages
    assert first[6] == status_html("Live", "live") and first[3] is not None
    view.audio = None
    second = render_view(view, sent)
    assert all(o == {"__type__": "update"} for o in second)  # nothing changed: all skipped
    view.audio = STOP_AUDIO
    assert render_view(view, sent)[0] == {"__type__": "update", "value": None}


async def test_a_session_that_ends_by_itself_hands_the_controls_back() -> None:
    from workbench.mock.config import Fault, MockConfig

    mock = MockConfig(behaviour="echo", fault=Fault("session_cap", session_cap_s=0.3))
    svc = ui_service()
    svc.resolver = BackendResolver(mock_base=mock)
    handlers = TalkHandlers(svc, TalkRegistry())
    req = request("capped")
    await handlers.on_start(svc.defaults, req)
    outputs: list[tuple[Any, ...]] = []
    with pytest.warns(UserWarning, match="session_expired"):
        async with asyncio.timeout(10):
            async for out in handlers.on_tick(req):
                outputs.append(out)
    statuses = [o[6] for o in outputs if isinstance(o[6], str)]
    # The server's message, verbatim, once the session is over.
    assert "Ended: " in statuses[-1] and "wb-error" in statuses[-1]
    timer, mic, start, stop, commit, interrupt = outputs[-1][8:]
    assert timer.active is False and mic.recording is False
    assert start.interactive is True and stop.interactive is False
    assert commit.interactive is False and interrupt.interactive is False
    await handlers.on_stop(req)


def _tool_service() -> SessionService:
    mock = MockConfig(behaviour="tool", latency=LatencyModel())
    defaults = RelaySettings(turn_detection="none", tools="demo", mock_ttfa_ms=40, mock_speed_x=50)
    return SessionService(resolver=BackendResolver(mock_base=mock), defaults=defaults)


async def test_a_tool_call_and_its_answer_show_in_the_talk_transcript() -> None:
    service = _tool_service()
    session = TalkSession(service, service.defaults)
    await session.start()
    try:
        await _feed_clip(session)
        await session.commit()
        views, pcm = await _collect(session)
    finally:
        await session.stop()
    contents = [m["content"] for m in views[-1].messages]
    (call,) = [c for c in contents if c.startswith("🔧")]
    assert call.startswith('🔧 `get_current_time({"timezone":"UTC"}) → {"timezone":"UTC"')
    assert any(c.startswith("The tool answered") for c in contents)
    assert pcm  # the spoken answer streamed to the player
    assert views[-1].last_turn is not None  # one turn, ended by the spoken reply


async def test_the_page_tap_gives_the_turn_its_end_to_end_figures_and_the_barge_in_point() -> None:
    from workbench.app.ui.page_tap import PageReply

    session = TalkSession(
        ui_service(), RelaySettings(turn_detection="none", mock_ttfa_ms=20, mock_speed_x=1)
    )
    await session.start()
    views: list[TalkView] = []
    cut: list[Any] = []
    try:
        await _feed_clip(session)
        await session.commit()
        async with asyncio.timeout(15):
            async for view in session.watch(max_s=10):
                views.append(view)
                if view.audio and view.audio != STOP_AUDIO and not cut:
                    assert view.tag is not None  # the page learns which reply it plays
                    report = {"target": "talk-reply", "seq": 1, "response_id": view.tag}
                    session.on_page_reply(
                        PageReply.from_payload(
                            {
                                **report,
                                "phase": "playing",
                                "played_ms": 250.0,
                                "mic_to_first_playout_ms": 1800.0,
                            }
                        )
                    )
                    session.on_page_reply(
                        PageReply.from_payload(
                            {
                                **report,
                                "phase": "audible",
                                "played_ms": 260.0,
                                "mic_to_first_playout_ms": 1800.0,
                                "mic_to_audible_ms": 2050.0,
                            }
                        )
                    )
                    cut.append(session.estimated_played_ms())
                    await session.interrupt()
    finally:
        await session.stop()
    # Barge-in cut where the page said the player was (250 ms in), not from "play".
    assert cut and 250.0 <= cut[0] < 400.0
    notes = [m["content"] for m in views[-1].messages if "cut at" in m["content"]]
    cut_ms = float(notes[0].split("cut at ")[1].split(" ms")[0])
    assert cut_ms == pytest.approx(cut[0], abs=60)
    assert views[-1].audio == STOP_AUDIO


async def test_an_idle_session_ends_with_its_reason_in_the_status() -> None:
    svc = ui_service()
    svc.server = ServerSettings(idle_timeout_s=0.3)
    session = TalkSession(svc, svc.defaults)
    await session.start()
    async with asyncio.timeout(10):
        async for _ in session.watch(max_s=5):
            pass
    text, kind = session.status()
    assert text.startswith("Ended: idle timeout — ") and kind == "error"
    assert not session.live
