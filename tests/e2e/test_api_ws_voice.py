"""WS /ws/realtime: clock pings and turn reports (voice-to-voice latency) on a real server.

The server and this test share ``time.monotonic`` (the service's clock), so a ping's
``server_ms`` must fall between the client's send and receive instants, and report
instants can be written on the server's clock directly.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import httpx
from websockets.asyncio.client import connect

from tests.e2e.api_harness import make_app, mock_backend, serve
from tests.e2e.test_api_ws import Received, is_type, pcm_48k, until, ws_url

FRAME_BYTES = 1920  # 20 ms at 48 kHz


def now_ms() -> float:
    return time.monotonic() * 1000.0


async def test_the_session_message_advertises_clock_ping_and_turn_report() -> None:
    async with serve(make_app(mock_backend())) as url, connect(ws_url(url)) as ws:
        got = await until(ws, is_type("session"))
    features = got.of("session")[0]["features"]
    assert {"clock_ping", "turn_report"} <= set(features)


async def test_a_clock_ping_is_answered_with_the_servers_clock() -> None:
    async with serve(make_app(mock_backend())) as url, connect(ws_url(url)) as ws:
        await until(ws, is_type("session"))
        for client_ms in (-5.0, 1e9):
            t0 = now_ms()
            await ws.send(json.dumps({"type": "clock_ping", "client_ms": client_ms}))
            pong = (await until(ws, is_type("clock_pong"))).of("clock_pong")[0]
            t1 = now_ms()
            assert pong["client_ms"] == client_ms
            assert t0 <= pong["server_ms"] <= t1


async def test_a_ping_behind_queued_audio_is_answered_before_the_audio_is_processed() -> None:
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        await until(ws, is_type("session"))
        pcm = pcm_48k()
        # Audio queued first, then the ping: the pong comes before the input levels of
        # most of that audio (one per 100 ms of input), i.e. before it was processed.
        for start in range(0, len(pcm), FRAME_BYTES):
            await ws.send(pcm[start : start + FRAME_BYTES])
        await ws.send(json.dumps({"type": "clock_ping", "client_ms": 1.0}))
        got = await until(ws, is_type("clock_pong"))
    levels_before = len(got.of("level"))
    assert levels_before < len(pcm) / (48 * 2 * 100)


async def _turn(ws: Any, got: Received) -> tuple[dict[str, Any], float, float]:
    """One manual turn of the 48 kHz phrase; returns the turn_done, the server-clock
    instant the last speech frame was sent and the phrase's length (ms)."""
    pcm = pcm_48k()
    last_sent_ms = 0.0
    for start in range(0, len(pcm), FRAME_BYTES):
        await ws.send(pcm[start : start + FRAME_BYTES])
        last_sent_ms = now_ms()
    await ws.send(json.dumps({"type": "commit"}))
    await until(ws, is_type("turn_done"), got)
    return got.of("turn_done")[0], last_sent_ms, len(pcm) / 96.0


async def test_a_turn_report_gives_the_turn_its_voice_to_voice_decomposition() -> None:
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
        httpx.AsyncClient(timeout=10.0) as http,
    ):
        got = await until(ws, is_type("session"))
        session_id = got.of("session")[0]["session_id"]
        done, speech_end_ms, input_ms = await _turn(ws, got)
        assert done["timeline"]["voice_to_voice_ms"] is None  # nothing reported yet
        received_ms = now_ms()  # stands in for the first reply audio's arrival
        report = {
            "type": "turn_report",
            "response_id": done["response_id"],
            "speech_end_ms": speech_end_ms,
            "speech_end_input_ms": input_ms,
            "first_audio_received_ms": received_ms,
            "first_sample_ms": received_ms + 40.0,
            "first_audible_ms": received_ms + 90.0,
            "output_latency_ms": 25.0,
            "jitter_buffer_ms": 40.0,
            "underruns": 1,
            "clock_uncertainty_ms": 0.2,
        }
        await ws.send(json.dumps(report))
        updated = (await until(ws, is_type("turn_updated", "error"), got)).messages[-1]
        record = (await http.get(f"{url}/sessions/{session_id}")).json()
    assert updated["type"] == "turn_updated", updated
    assert updated["response_id"] == done["response_id"]
    timeline = updated["timeline"]
    total = received_ms + 90.0 - speech_end_ms
    assert abs(timeline["voice_to_voice_ms"] - total) < 0.01
    v2v = timeline["voice_to_voice"]
    parts = v2v["parts_ms"]
    # Every mark is there: each part measured, they add up, nothing left over.
    assert v2v["missing"] == [] and v2v["negative_parts"] == []
    assert abs(sum(parts.values()) - total) < 0.01 and abs(v2v["residual_ms"]) < 0.01
    assert parts["buffering"] == 90.0  # heard 90 ms after it arrived (25 ms of it the device)
    assert timeline["audio_report"] == {
        "output_latency_ms": 25.0,
        "jitter_buffer_ms": 40.0,
        "clock_uncertainty_ms": 0.2,
        "underruns": 1,
    }
    assert updated["summary"]["voice_to_voice_ms"]["n"] == 1
    # The record shows the same turn.
    kept = record["turns"][0]["timeline"]
    assert kept["voice_to_voice_ms"] == timeline["voice_to_voice_ms"]
    assert kept["voice_to_voice"] == v2v


async def test_a_report_that_arrives_before_the_reply_ends_rides_on_turn_done() -> None:
    # Real-time reply (1.9 s): the report, sent at the first reply audio, is applied
    # before the response ends.
    backend = mock_backend(ttfa_ms=20.0, speed_x_realtime=1.0)
    async with (
        serve(make_app(backend)) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        got = await until(ws, is_type("session"))
        pcm = pcm_48k()
        for start in range(0, len(pcm), FRAME_BYTES):
            await ws.send(pcm[start : start + FRAME_BYTES])
        speech_end_ms = now_ms()
        await ws.send(json.dumps({"type": "commit"}))
        audio_start = (await until(ws, is_type("audio_start"), got)).of("audio_start")[0]
        report = {
            "type": "turn_report",
            "response_id": audio_start["response_id"],
            "speech_end_ms": speech_end_ms,
            "first_audible_ms": now_ms(),
        }
        await ws.send(json.dumps(report))
        await until(ws, is_type("turn_done"), got)
    done = got.of("turn_done")[0]
    assert got.order.index("turn_updated") < got.order.index("turn_done")
    assert done["timeline"]["voice_to_voice_ms"] > 0
    v2v = done["timeline"]["voice_to_voice"]
    # No uplink/downlink marks: their time is the residual, shown.
    assert v2v["parts_ms"]["uplink"] is None and v2v["residual_ms"] > 0


async def test_bad_or_unknown_reports_get_errors_and_the_session_continues() -> None:
    async with (
        serve(make_app(mock_backend())) as url,
        connect(ws_url(url, sample_rate_hz=48000, turn_detection="none")) as ws,
    ):
        got = await until(ws, is_type("session"))
        bad = {"type": "turn_report", "response_id": "r", "output_latency_ms": -1}
        await ws.send(json.dumps(bad))
        await until(ws, is_type("error"), got)
        unknown = {"type": "turn_report", "response_id": "resp_nope", "speech_end_ms": 1}
        await ws.send(json.dumps(unknown))
        await until(ws, lambda m: m["type"] == "error" and len(got.of("error")) == 2, got)
        await ws.send(json.dumps({"type": "clock_ping", "client_ms": 3}))
        await until(ws, is_type("clock_pong"), got)
        done, _, _ = await _turn(ws, got)
    codes = [m["code"] for m in got.of("error")]
    assert codes == ["bad_field", "unknown_response"]
    assert "output_latency_ms" in got.of("error")[0]["message"]
    assert done["status"] == "completed"


async def test_a_flood_of_pings_is_answered_in_order_without_losing_the_session() -> None:
    async with serve(make_app(mock_backend())) as url, connect(ws_url(url)) as ws:
        await until(ws, is_type("session"))
        for i in range(500):
            await ws.send(json.dumps({"type": "clock_ping", "client_ms": i}))
        got = Received()
        async with asyncio.timeout(10):
            while len(got.of("clock_pong")) < 500:
                await until(ws, is_type("clock_pong"), got)
    assert [m["client_ms"] for m in got.of("clock_pong")] == list(range(500))
