"""WS /ws/realtime: full duplex against a real uvicorn server and the echo mock."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pytest
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.e2e.api_harness import (
    clip,
    decoded_24k,
    make_app,
    mock_backend,
    pcm16_to_f32,
    peak_correlation,
    serve,
)

CLIP_48K = "en_hear_48k_pcm16.wav"  # 1.9 s, mono PCM16 at 48 kHz


@dataclass
class Received:
    """Everything a client got, in order."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    order: list[str] = field(default_factory=list)  # message types, "binary" for audio
    audio: bytearray = field(default_factory=bytearray)

    def of(self, kind: str) -> list[dict[str, Any]]:
        return [m for m in self.messages if m["type"] == kind]


async def until(
    ws: ClientConnection,
    stop: Callable[[dict[str, Any]], bool],
    got: Received | None = None,
    timeout_s: float = 10.0,
) -> Received:
    """Receive until a text message satisfies ``stop`` (bounded by ``timeout_s``)."""
    got = got if got is not None else Received()
    async with asyncio.timeout(timeout_s):
        async for frame in ws:
            if isinstance(frame, bytes):
                got.audio += frame
                got.order.append("binary")
                continue
            message = json.loads(frame)
            got.messages.append(message)
            got.order.append(message["type"])
            if stop(message):
                return got
    return got


def ws_url(url: str, **query: object) -> str:
    q = "&".join(f"{k}={v}" for k, v in query.items())
    return url.replace("http://", "ws://") + "/ws/realtime" + (f"?{q}" if q else "")


def pcm_48k() -> bytes:
    from workbench.audio import decode_audio

    decoded = decode_audio(clip(CLIP_48K))
    assert decoded.sample_rate_hz == 48_000
    return (decoded.samples * 32767).astype("<i2").tobytes()


async def send_audio(ws: ClientConnection, pcm: bytes, frame_bytes: int = 1920) -> None:
    for start in range(0, len(pcm), frame_bytes):
        await ws.send(pcm[start : start + frame_bytes])


def is_type(*kinds: str) -> Callable[[dict[str, Any]], bool]:
    return lambda m: m["type"] in kinds


async def test_round_trip_at_48k_with_manual_commit() -> None:
    backend = mock_backend()
    async with (
        serve(make_app(backend)) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)
        await ws.send(json.dumps({"type": "close"}))
        await until(ws, is_type("session_ended"), got)
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1000
    session = got.messages[0]
    assert session["type"] == "session" and session["is_mock"] is True and session["session_id"]
    first_binary = got.order.index("binary")
    assert got.order[first_binary - 2 : first_binary] == ["audio_start", "level"]
    assert {m["source"] for m in got.of("level")} == {"input", "output"}
    done = got.of("turn_done")[0]
    assert done["status"] == "completed"
    assert done["timeline"]["ttfa_ms"] is not None and done["summary"]["ttfa_ms"]["n"] == 1
    assert any(m["final"] for m in got.of("transcript"))
    assert got.of("session_ended")[0]["reason"] == "stop"
    assert peak_correlation(pcm16_to_f32(bytes(got.audio)), decoded_24k(clip(CLIP_48K))) > 0.9
    assert backend.open_connections == 0


async def test_server_vad_detects_the_turn_by_itself() -> None:
    from workbench.audio import decode_audio

    decoded = decode_audio(clip("en_hello_16k_pcm16.wav"))
    pcm = (decoded.samples * 32767).astype("<i2").tobytes() + bytes(16000 * 2)  # + 1 s silence
    # The clip pauses ~0.4 s mid-sentence: a longer end-of-speech silence keeps it one turn.
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=16000, vad_silence_ms=700)) as ws,
    ):
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm, frame_bytes=640)
        await until(ws, is_type("turn_done"), got)
    assert got.of("speech_started") and got.of("speech_stopped")
    assert got.order.index("speech_started") < got.order.index("speech_stopped")
    assert got.of("turn_done")[0]["status"] == "completed"
    assert len(got.audio) > 24_000  # the echoed speech


async def test_interrupt_cuts_the_reply_and_playout_is_stamped() -> None:
    backend = mock_backend(ttfa_ms=20, speed_x_realtime=1.0)
    async with (
        serve(make_app(backend)) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        start = await until(ws, is_type("audio_start"), got)
        item_id = start.of("audio_start")[0]["item_id"]
        await ws.send(json.dumps({"type": "playout", "played_ms": 40, "item_id": item_id}))
        await asyncio.sleep(0.2)
        await ws.send(json.dumps({"type": "interrupt", "played_ms": 100}))
        await until(ws, is_type("turn_done"), got)
    interrupted = got.of("interrupted")[0]
    assert interrupted["item_id"] == item_id and 0 < interrupted["audio_end_ms"] <= 100
    done = got.of("turn_done")[0]
    assert done["status"] == "cancelled"
    assert "first_playout" in done["timeline"]["stages_ms"]
    assert len(got.audio) < len(pcm_48k()) / 2  # far less than the full echo


async def test_settings_message_first_then_locked_after_audio() -> None:
    async with serve(make_app(mock_backend())) as url, connect(ws_url(url)) as ws:
        await ws.send(
            json.dumps({"type": "settings", "sample_rate_hz": 48000, "turn_detection": "none"})
        )
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "settings", "sample_rate_hz": 16000}))
        await until(ws, is_type("error"), got)
        assert got.of("error")[0]["code"] == "settings_locked"
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)
    assert len(got.of("session")) == 1
    assert peak_correlation(pcm16_to_f32(bytes(got.audio)), decoded_24k(clip(CLIP_48K))) > 0.9


async def test_bad_messages_get_error_events_and_the_session_continues() -> None:
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none"), max_size=None) as ws,
    ):
        got = await until(ws, is_type("session"))
        bad: list[str | bytes] = [
            "{not json",
            "[1,2]",
            '{"type":"dance"}',
            '{"type":"playout"}',
            json.dumps({"type": "commit", "pad": "x" * 70_000}),
            b"\x00\x01\x02",
        ]
        for message in bad:
            await ws.send(message)
        for _ in bad:
            await until(ws, is_type("error"), got)
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)
    codes = [m["code"] for m in got.of("error")]
    assert codes == [
        "bad_json",
        "bad_message",
        "unknown_type",
        "bad_field",
        "message_too_large",
        "bad_audio",
    ]
    assert all(m["fatal"] is False and m["message"] for m in got.of("error"))
    assert got.of("turn_done")[0]["status"] == "completed"


async def test_a_flood_is_dropped_with_rate_limited_and_the_session_survives() -> None:
    app = make_app(mock_backend(), ws_max_queued_messages=2)
    frame = np.zeros(960, "<i2").tobytes()
    async with serve(app) as url, connect(ws_url(url, turn_detection="none")) as ws:
        got = await until(ws, is_type("session"))
        await asyncio.gather(*(ws.send(frame) for _ in range(400)))
        await until(ws, lambda m: m["type"] == "error" and m["code"] == "rate_limited", got)
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)


async def test_bad_sample_rate_in_the_query_is_refused() -> None:
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=1000)) as ws,
    ):
        got = await until(ws, is_type("error"))
        with pytest.raises(ConnectionClosed):
            await asyncio.wait_for(ws.recv(), 5)
        assert ws.close_code == 1008
    error = got.of("error")[0]
    assert error["code"] == "bad_settings" and error["fatal"] is True
    assert "sample_rate_hz" in error["message"]


async def test_disconnect_closes_upstream_within_1s() -> None:
    backend = mock_backend(speed_x_realtime=1.0)
    async with serve(make_app(backend)) as url:
        async with connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws:
            await until(ws, is_type("session"))
            await send_audio(ws, pcm_48k())
            await ws.send(json.dumps({"type": "commit"}))
            await until(ws, is_type("audio_start"))
            assert backend.open_connections == 1
        assert await backend.wait_closed(timeout_s=1.0) < 1.0


async def test_foreign_origins_are_refused_same_host_allowed() -> None:
    async with serve(make_app(mock_backend())) as url:
        host = url.removeprefix("http://")
        with pytest.raises(InvalidStatus) as info:
            async with connect(ws_url(url), origin="http://evil.example"):  # type: ignore[arg-type]
                pass
        assert info.value.response.status_code == 403
        async with connect(ws_url(url), origin=f"http://{host}") as ws:  # type: ignore[arg-type]
            assert (await until(ws, is_type("session"))).of("session")
    async with (
        serve(make_app(mock_backend(), allowed_origins=("http://app.example",))) as url,
        connect(ws_url(url), origin="http://app.example") as ws,
    ):  # type: ignore[arg-type]
        assert (await until(ws, is_type("session"))).of("session")


async def test_settings_after_the_session_opened_but_before_audio_reopen_it() -> None:
    backend = mock_backend()
    async with (
        serve(make_app(backend)) as url,
        connect(ws_url(url, turn_detection="server_vad")) as ws,
    ):
        got = await until(ws, is_type("session"))
        await ws.send(
            json.dumps({"type": "settings", "sample_rate_hz": 48000, "turn_detection": "none"})
        )
        await until(ws, is_type("session"), got)
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)
    sessions = got.of("session")
    assert len(sessions) == 2 and sessions[0]["session_id"] == sessions[1]["session_id"]
    assert backend.connections == 2 and backend.open_connections == 0
    assert peak_correlation(pcm16_to_f32(bytes(got.audio)), decoded_24k(clip(CLIP_48K))) > 0.9


async def test_metrics_and_session_record_follow_a_websocket_session() -> None:
    import httpx

    async with serve(make_app(mock_backend())) as url:
        async with connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws:
            got = await until(ws, is_type("session"))
            await send_audio(ws, pcm_48k())
            await ws.send(json.dumps({"type": "commit"}))
            await until(ws, is_type("turn_done"), got)
        async with httpx.AsyncClient() as http:
            sid = got.of("session")[0]["session_id"]
            record = await _finished_record(http, f"{url}/sessions/{sid}")
            metrics = (await http.get(f"{url}/metrics")).text
    assert record["kind"] == "websocket" and record["end_reason"] == "client_gone"
    assert record["turns"][0]["status"] == "completed"
    assert 'workbench_turns_total{status="completed"} 1.0' in metrics
    assert 'workbench_sessions_total{kind="websocket"} 1.0' in metrics
    assert 'workbench_active_sessions{kind="websocket"} 0.0' in metrics


async def test_close_then_dropping_the_socket_at_once_ends_the_session_as_stopped() -> None:
    import httpx

    async with serve(make_app(mock_backend())) as url:
        sids = []
        for _ in range(5):  # the disconnect often overtakes the queued close
            async with connect(ws_url(url, sample_rate_hz=48000)) as ws:
                got = await until(ws, is_type("session"))
                await ws.send(json.dumps({"type": "close"}))
            sids.append(got.of("session")[0]["session_id"])
        async with httpx.AsyncClient() as http:
            records = [await _finished_record(http, f"{url}/sessions/{sid}") for sid in sids]
    assert [r["end_reason"] for r in records] == ["stop"] * 5


async def _finished_record(http: Any, url: str, timeout_s: float = 5.0) -> dict[str, Any]:
    """Poll a session record until the server has finished closing it."""
    for _ in range(int(timeout_s / 0.02)):
        record: dict[str, Any] = (await http.get(url)).json()
        if record["status"] != "active":
            return record
        await asyncio.sleep(0.02)
    raise AssertionError(f"session still active after {timeout_s} s")


async def test_a_client_answers_a_tool_call_and_hears_the_reply_about_it() -> None:
    backend = mock_backend(behaviour="tool")
    query = {"sample_rate_hz": 48000, "turn_detection": "none", "tools": "client"}
    async with serve(make_app(backend)) as url, connect(ws_url(url, **query)) as ws:
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("tool_call"), got)
        call = got.of("tool_call")[0]
        assert call["name"] == "get_current_time" and json.loads(call["arguments"])
        await ws.send(json.dumps({"type": "tool_output", "call_id": "nope", "output": "{}"}))
        answer = {"type": "tool_output", "call_id": call["call_id"], "output": '{"t":"noon"}'}
        await ws.send(json.dumps(answer))
        await until(ws, is_type("turn_done"), got)
    (error,) = got.of("error")
    assert error["code"] == "unknown_tool_call" and not error["fatal"]
    (echoed,) = got.of("tool_output")
    assert echoed == {**answer, "name": "get_current_time"}
    assert got.order.index("tool_call") < got.order.index("tool_output") < got.order.index("binary")
    assert len(got.of("turn_done")) == 1 and got.of("turn_done")[0]["status"] == "completed"
    spoken = [m["text"] for m in got.of("transcript") if m["role"] == "assistant" and m["final"]]
    assert spoken == ['The tool answered: {"t":"noon"}']


async def test_demo_tools_are_answered_by_the_server_and_shown_to_the_client() -> None:
    backend = mock_backend(behaviour="tool")
    query = {"sample_rate_hz": 48000, "turn_detection": "none", "tools": "demo"}
    async with serve(make_app(backend)) as url, connect(ws_url(url, **query)) as ws:
        got = await until(ws, is_type("session"))
        await send_audio(ws, pcm_48k())
        await ws.send(json.dumps({"type": "commit"}))
        await until(ws, is_type("turn_done"), got)
    (call,) = got.of("tool_call")
    (output,) = got.of("tool_output")
    assert output["call_id"] == call["call_id"] and "iso_time" in json.loads(output["output"])
    assert got.of("turn_done")[0]["status"] == "completed"


async def test_settings_the_service_would_refuse_are_errors_before_connecting() -> None:
    backend = mock_backend()
    async with serve(make_app(backend)) as url:
        async with connect(ws_url(url, voice="nova")) as ws:
            got = await until(ws, is_type("session_ended"))
            with pytest.raises(ConnectionClosed):
                await asyncio.wait_for(ws.recv(), 5)
            assert ws.close_code == 1008
        assert got.of("session_ended")[0]["reason"] == "rejected"
        (error,) = got.of("error")
        assert error["code"] == "bad_settings" and error["fatal"]
        assert "voice (Voice): Invalid value: 'nova'" in error["message"]
        async with connect(ws_url(url)) as ws:  # a settings message: refused, session kept
            await ws.send(json.dumps({"type": "settings", "voice": "nova"}))
            got = await until(ws, is_type("session"))
            await ws.send(json.dumps({"type": "settings", "tools": "client", "voice": "x"}))
            await until(ws, is_type("error"), got)
        assert [e["code"] for e in got.of("error")] == ["bad_settings", "bad_settings"]
        assert not any(e["fatal"] for e in got.of("error"))
    assert backend.connections == 1  # the refused query never connected; nothing reopened
