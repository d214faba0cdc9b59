"""A client that goes away mid-turn (issue 11, part 4).

Whatever way the client leaves — mid-reply on the HTTP stream, mid-upload, or by
dropping its WebSocket — the upstream session is closed within 1 s (the mock server's
own count of open sockets, through the openai SDK), the API forgets the session
(``/healthz``), and no relay or WebSocket task is left in the server's event loop.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator

import httpx
import pytest
from websockets.asyncio.client import connect

from tests.reliability.harness import (
    Switchboard,
    api_app,
    assert_healthy_ws,
    is_type,
    mock_config,
    pcm16,
    receive_until,
    sdk_backend,
    serve,
    tone,
    wav,
    ws_url,
)
from workbench.mock.server import MockServer, serve_mock

#: The bound the issue sets on closing upstream after the client left (s).
CLOSE_BOUND_S = 1.0
SESSION_TASKS = frozenset({"relay-reader", "ws-reader", "ws-processor", "ws-pump"})


@pytest.fixture
async def mock_server() -> AsyncIterator[MockServer]:
    # Real-time delivery: a 3 s reply is still streaming when the client leaves.
    async with serve_mock(mock_config(speed_x_realtime=1.0)) as server:
        yield server


def session_tasks() -> list[str]:
    return sorted(t.get_name() for t in asyncio.all_tasks() if t.get_name() in SESSION_TASKS)


async def assert_all_closed(server: MockServer, base: str, t_left: float) -> None:
    """Upstream closed within 1 s of ``t_left``; no session or session task remains."""
    deadline = t_left + CLOSE_BOUND_S
    while server.active_connections and time.perf_counter() < deadline:  # noqa: ASYNC110
        await asyncio.sleep(0.01)
    took_s = time.perf_counter() - t_left
    assert server.active_connections == 0, f"upstream still open {took_s:.2f} s after"
    async with httpx.AsyncClient(base_url=base) as client:
        async with asyncio.timeout(2.0):
            while (await client.get("/healthz")).json()["active_sessions"]:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
    async with asyncio.timeout(2.0):
        while session_tasks():  # noqa: ASYNC110
            await asyncio.sleep(0.01)


async def test_http_client_leaving_mid_reply_closes_upstream(mock_server: MockServer) -> None:
    async with serve(api_app(sdk_backend(mock_server.url))) as base:
        async with httpx.AsyncClient(base_url=base, timeout=10.0) as client:
            files = {"audio_file": ("clip.wav", wav(tone(440.0, 2.0)), "audio/wav")}
            async with client.stream("POST", "/realtime_audio/", files=files) as response:
                assert response.status_code == 200
                async for chunk in response.aiter_bytes():
                    assert chunk
                    break
                assert mock_server.active_connections == 1
        t_left = time.perf_counter()  # the stream and the client's connection are closed
        await assert_all_closed(mock_server, base, t_left)
        await assert_healthy_ws(base)


async def test_http_client_leaving_mid_upload_closes_upstream(mock_server: MockServer) -> None:
    async with serve(api_app(sdk_backend(mock_server.url))) as base:
        host, port = base.removeprefix("http://").split(":")
        _, writer = await asyncio.open_connection(host, int(port))
        body = wav(tone(440.0, 3.0))
        writer.write(
            f"POST /realtime_audio/stream HTTP/1.1\r\nHost: {host}\r\n"
            f"Content-Type: audio/wav\r\nContent-Length: {len(body)}\r\n\r\n".encode()
            + body[: 2 * len(body) // 3]
        )
        await writer.drain()
        async with asyncio.timeout(5.0):  # upstream opens once the first audio decoded
            while not mock_server.active_connections:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        writer.transport.abort()
        t_left = time.perf_counter()
        await assert_all_closed(mock_server, base, t_left)
        await assert_healthy_ws(base)


@pytest.mark.parametrize("moment", ["mid_reply", "mid_input"])
async def test_ws_client_dropping_closes_upstream(mock_server: MockServer, moment: str) -> None:
    switch = Switchboard(sdk_backend(mock_server.url))
    async with serve(api_app(switch)) as base:
        ws = await connect(ws_url(base, turn_detection="none"))
        got = await receive_until(ws, is_type("session"))
        await ws.send(pcm16(tone(440.0, 3.0)))
        if moment == "mid_reply":
            await ws.send(json.dumps({"type": "commit"}))
            async with asyncio.timeout(5.0):
                while not got.frames:
                    await receive_until(ws, lambda m: True, got)
        else:
            await receive_until(ws, is_type("level"), got)
        assert mock_server.active_connections == 1
        assert session_tasks()
        ws.transport.abort()  # no close frame: the network just went away
        t_left = time.perf_counter()
        await assert_all_closed(mock_server, base, t_left)
        assert switch.open_connections == 0
        await assert_healthy_ws(base)
