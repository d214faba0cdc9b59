"""Faults and concurrency over real sockets: what a client of the mock server sees."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import time
from typing import Any

import pytest
import websockets
from openai import AsyncOpenAI
from websockets.exceptions import ConnectionClosed, ConnectionClosedError

from tests.mock.mock_helpers import tone
from workbench.mock.config import LatencyModel, MockConfig
from workbench.mock.server import run_mock_server, serve_mock

TIMEOUT_S = 10.0
FAST = MockConfig(
    behaviour="tone", tone_ms=600, latency=LatencyModel(ttfa_ms=10, speed_x_realtime=50.0)
)


async def _turn(url: str) -> tuple[list[Any], ConnectionClosed | None]:
    """Connect, ask for one response, read frames until response.done or close."""
    frames: list[Any] = []
    async with websockets.connect(url) as ws:
        try:
            async with asyncio.timeout(TIMEOUT_S):
                await ws.send(json.dumps({"type": "response.create"}))
                while True:
                    text = await ws.recv()
                    try:
                        frame = json.loads(text)
                    except ValueError:
                        frames.append(text)
                        continue
                    frames.append(frame)
                    if frame["type"] == "response.done":
                        return frames, None
        except ConnectionClosed as exc:
            return frames, exc
    raise AssertionError("unreachable")


def _types(frames: list[Any]) -> list[str]:
    return [f["type"] if isinstance(f, dict) else "<raw>" for f in frames]


async def test_error_fault_reaches_the_client() -> None:
    async with serve_mock(FAST) as server:
        frames, closed = await _turn(
            server.url + "/v1/realtime?mock_fault=error&mock_fault_after=2"
        )
    assert closed is None
    types = _types(frames)
    assert types.count("response.output_audio.delta") == 2
    error = next(f for f in frames if f["type"] == "error")["error"]
    assert error["type"] == "server_error"
    assert frames[-1]["response"]["status"] == "failed"


async def test_close_mid_response_reaches_the_client_as_1011() -> None:
    async with serve_mock(FAST) as server:
        url = server.url + "/v1/realtime?mock_fault=close_mid_response&mock_fault_after=3"
        frames, closed = await _turn(url)
        await server.wait_idle(TIMEOUT_S)
    assert isinstance(closed, ConnectionClosedError)
    assert closed.rcvd is not None and closed.rcvd.code == 1011
    assert _types(frames).count("response.output_audio.delta") == 3


async def test_close_mid_response_through_the_sdk() -> None:
    async with serve_mock(FAST) as server:
        client = AsyncOpenAI(api_key="k", websocket_base_url=server.url + "/v1")
        query = {"mock_fault": "close_mid_response", "mock_fault_after": "1"}
        async with client.realtime.connect(model="gpt-realtime", extra_query=query) as conn:
            await conn.response.create()
            with pytest.raises(ConnectionClosedError) as info:
                async with asyncio.timeout(TIMEOUT_S):
                    async for _ in conn:
                        pass
        assert info.value.rcvd is not None and info.value.rcvd.code == 1011


async def test_malformed_frame_reaches_the_client() -> None:
    async with serve_mock(FAST) as server:
        frames, closed = await _turn(server.url + "/v1/realtime?mock_fault=malformed_frame")
    assert closed is None
    assert "{not json" in frames
    assert frames[-1]["response"]["status"] == "completed"


async def test_stall_fault_pauses_delivery() -> None:
    async with serve_mock(FAST) as server:
        url = server.url + "/v1/realtime?mock_fault=stall&mock_fault_after=2&mock_stall_s=0.4"
        async with websockets.connect(url) as ws:
            await ws.send(json.dumps({"type": "response.create"}))
            stamps: list[float] = []
            async with asyncio.timeout(TIMEOUT_S):
                while True:
                    frame = json.loads(await ws.recv())
                    if frame["type"] == "response.output_audio.delta":
                        stamps.append(time.monotonic())
                    if frame["type"] == "response.done":
                        break
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert len(stamps) == 6
    assert gaps[1] >= 0.35  # between the 2nd and 3rd delta
    assert max(gaps[:1] + gaps[2:]) < 0.3


async def test_rate_limit_fault_reaches_the_client() -> None:
    async with (
        serve_mock(FAST) as server,
        websockets.connect(server.url + "/v1/realtime?mock_fault=rate_limit") as ws,
    ):
        await ws.send(json.dumps({"type": "response.create", "event_id": "c1"}))
        async with asyncio.timeout(TIMEOUT_S):
            while (frame := json.loads(await ws.recv()))["type"] != "error":
                pass
    assert frame["error"]["code"] == "rate_limit_exceeded"
    assert frame["error"]["event_id"] == "c1"


async def test_session_cap_sends_session_expired_then_closes() -> None:
    async with serve_mock(FAST) as server:
        url = server.url + "/v1/realtime?mock_fault=session_cap&mock_session_cap_s=0.3"
        async with websockets.connect(url) as ws:
            frames: list[dict[str, Any]] = []
            async with asyncio.timeout(TIMEOUT_S):
                async for text in ws:
                    frames.append(json.loads(text))
        assert ws.close_code == 1000
        await server.wait_idle(TIMEOUT_S)
    assert [f["type"] for f in frames] == ["session.created", "error"]
    assert frames[1]["error"]["code"] == "session_expired"
    assert frames[1]["error"]["message"].startswith("Your session hit the maximum duration")


async def test_twenty_concurrent_sessions_are_isolated() -> None:
    config = MockConfig(latency=LatencyModel(ttfa_ms=20, speed_x_realtime=8))  # echo
    manual = {"type": "realtime", "audio": {"input": {"turn_detection": None}}}
    async with serve_mock(config) as server:

        async def one(i: int) -> tuple[bytes, bytes]:
            mine = tone(200.0 + 37.0 * i, 400.0)
            client = AsyncOpenAI(api_key=f"key-{i}", websocket_base_url=server.url + "/v1")
            echoed = b""
            async with client.realtime.connect(model="gpt-realtime") as conn:
                await conn.session.update(session=manual)  # type: ignore[arg-type]
                for start in range(0, len(mine), 9600):  # 200 ms appends, interleaved
                    chunk = base64.b64encode(mine[start : start + 9600]).decode()
                    await conn.input_audio_buffer.append(audio=chunk)
                    await asyncio.sleep(0)
                await conn.input_audio_buffer.commit()
                await conn.response.create()
                async for event in conn:
                    if event.type == "response.output_audio.delta":
                        echoed += base64.b64decode(event.delta)
                    if event.type == "response.done":
                        break
            return mine, echoed

        async with asyncio.timeout(30):
            results = await asyncio.gather(*(one(i) for i in range(20)))
        await server.wait_idle(TIMEOUT_S)
        assert server.total_connections == 20
        assert server.active_connections == 0
    for sent, echoed in results:
        assert echoed == sent
    assert len({echoed for _, echoed in results}) == 20


async def test_handlers_clean_up_when_clients_vanish() -> None:
    slow = MockConfig(behaviour="tone", tone_ms=10_000, latency=LatencyModel(ttfa_ms=10))
    async with serve_mock(slow) as server:
        sockets = [await websockets.connect(server.url + "/v1/realtime") for _ in range(3)]
        for ws in sockets:
            await ws.send(json.dumps({"type": "response.create"}))
            await ws.recv()
        assert server.active_connections == 3
        for ws in sockets:
            ws.transport.abort()  # no closing handshake: the client just disappears
        await server.wait_idle(TIMEOUT_S)
        assert server.active_connections == 0
        with pytest.raises(TimeoutError):
            async with websockets.connect(server.url + "/v1/realtime"):
                await server.wait_idle(0.05)


async def test_server_vad_over_the_socket() -> None:
    config = MockConfig(latency=LatencyModel(ttfa_ms=10, speed_x_realtime=20))
    speech = bytes(24 * 2 * 200) + tone(300, 800) + bytes(24 * 2 * 900)
    async with serve_mock(config) as server, websockets.connect(server.url + "/v1/realtime") as ws:
        for i in range(0, len(speech), 4800):  # 100 ms chunks
            chunk = base64.b64encode(speech[i : i + 4800]).decode()
            await ws.send(json.dumps({"type": "input_audio_buffer.append", "audio": chunk}))
        types: list[str] = []
        async with asyncio.timeout(TIMEOUT_S):
            while (frame := json.loads(await ws.recv()))["type"] != "response.done":
                types.append(frame["type"])
    assert types.index("input_audio_buffer.speech_started") < types.index(
        "input_audio_buffer.speech_stopped"
    )
    assert types.index("input_audio_buffer.committed") < types.index("response.created")


async def test_run_mock_server_serves_until_cancelled() -> None:
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(run_mock_server("127.0.0.1", 0, FAST, None, ready=ready.set_result))
    try:
        async with asyncio.timeout(TIMEOUT_S):
            url = await ready
            async with websockets.connect(url + "/v1/realtime") as ws:
                assert json.loads(await ws.recv())["type"] == "session.created"
    finally:
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
