"""Clients that stall: an upload body that stops, a reply or a WebSocket nobody reads (issue 15).

A real uvicorn on 127.0.0.1 with the connection guard (short limits), the mock server
reached through the openai SDK (it counts its own open sockets), and raw clients with
a small receive buffer, so that a client that does not read stalls the server's sends
after a few kB instead of after the kernel's megabytes. Each check: the session ends
with its reason, the paid upstream session is closed, the server closes the connection,
and nothing piles up for the client (the reply queue bound, ``max_queued_reply_s``).
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from websockets.client import ClientProtocol
from websockets.uri import parse_uri

from tests.reliability.harness import (
    mock_config,
    pcm16,
    sdk_backend,
    tone,
    wav,
    ws_url,
)
from tests.support.servers import serve
from tests.support.services import make_service
from workbench.app.api.app import create_api_app
from workbench.app.server.timeouts import ServerTimeouts, guarded_http_protocol
from workbench.mock.server import MockServer, serve_mock

pytestmark = pytest.mark.timeout(90)

#: The connection guard, short: a body that brings < 1 kB/s over 0.5 s is cut (408); a
#: closed connection whose last bytes the client does not take for 1 s is aborted.
GUARD = ServerTimeouts(
    body_window_s=0.5, min_body_bytes_per_s=1000.0, client_stall_timeout_s=1.0, tick_s=0.05
)
#: Bound on every wait for the server to act (s): many times the limits used.
CAP_S = 15.0
#: The client's socket receive buffer (bytes): small, so not reading stalls the server.
SMALL_RCVBUF = 4096


@pytest.fixture
async def mock_server() -> AsyncIterator[MockServer]:
    async with serve_mock(mock_config(speed_x_realtime=20.0)) as server:
        yield server


def _app(mock_server: MockServer, **settings: Any) -> Any:
    return create_api_app(make_service(sdk_backend(mock_server.url), **settings))


async def _small_buffer_connection(
    base: str,
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, SMALL_RCVBUF)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    return await asyncio.open_connection(sock=sock, limit=SMALL_RCVBUF)


async def _until_no_session(base: str) -> None:
    async with httpx.AsyncClient(base_url=base) as client:
        async with asyncio.timeout(CAP_S):
            while (await client.get("/healthz")).json()["active_sessions"]:  # noqa: ASYNC110
                await asyncio.sleep(0.05)


async def _last_record(base: str) -> dict[str, Any]:
    async with httpx.AsyncClient(base_url=base) as client:
        summary = (await client.get("/sessions")).json()["sessions"][0]
        record: dict[str, Any] = (await client.get(f"/sessions/{summary['session_id']}")).json()
    return record


async def _server_closed(reader: asyncio.StreamReader) -> bool:
    """Read what is buffered; True once the server ended the connection (EOF or reset)."""
    try:
        async with asyncio.timeout(CAP_S):
            while await reader.read(65536):
                pass
    except ConnectionError:
        return True  # reset: the server aborted a connection it could not flush
    except TimeoutError:
        return False
    return True


async def test_an_upload_body_that_stalls_ends_its_session_and_closes_upstream(
    mock_server: MockServer,
) -> None:
    async with serve(_app(mock_server), http=guarded_http_protocol(GUARD)) as base:
        reader, writer = await _small_buffer_connection(base)
        body = wav(tone(440.0, 4.0))
        writer.write(
            f"POST /realtime_audio/stream HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[: len(body) // 2]  # 2 s of valid audio, then nothing
        )
        await writer.drain()
        async with asyncio.timeout(CAP_S):  # upstream opened with the first audio
            while not mock_server.active_connections:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
            head = await reader.readuntil(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 408 ")
        await _until_no_session(base)
        async with asyncio.timeout(CAP_S):
            while mock_server.active_connections:  # noqa: ASYNC110
                await asyncio.sleep(0.01)
        assert (await _last_record(base))["end_reason"] == "client_gone"
        writer.transport.abort()


async def test_a_reply_nobody_reads_ends_its_session_and_the_connection(
    mock_server: MockServer,
) -> None:
    app = _app(mock_server, max_queued_reply_s=2.0, client_stall_timeout_s=1.0)
    async with serve(app, http=guarded_http_protocol(GUARD)) as base:
        reader, writer = await _small_buffer_connection(base)
        # A 120 s reply (5.8 MB at 24 kHz): more than the kernel buffers on both sides.
        body = wav(tone(440.0, 120.0, 8_000), 8_000)
        writer.write(
            f"POST /realtime_audio/stream HTTP/1.1\r\nHost: x\r\nContent-Type: audio/wav\r\n"
            f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body
        )
        await writer.drain()
        await _until_no_session(base)  # never reading a byte of the reply
        record = await _last_record(base)
        assert record["end_reason"] == "limit"
        assert record["errors"][-1]["code"] == "client_too_slow"
        assert mock_server.active_connections == 0
        assert await _server_closed(reader)
        writer.transport.abort()


async def test_a_websocket_nobody_reads_ends_its_session_and_the_connection(
    mock_server: MockServer,
) -> None:
    app = _app(mock_server, max_queued_reply_s=2.0, client_stall_timeout_s=1.0)
    async with serve(app, http=guarded_http_protocol(GUARD)) as base:
        reader, writer = await _small_buffer_connection(base)
        # websockets' sans-I/O client: it frames what we send and reads nothing by itself
        # (a library client keeps reading into its own buffers even when nobody asks).
        client = ClientProtocol(parse_uri(ws_url(base, turn_detection="none")))
        client.send_request(client.connect())
        writer.write(b"".join(client.data_to_send()))
        async with asyncio.timeout(CAP_S):
            client.receive_data(await reader.readuntil(b"\r\n\r\n"))
        assert client.handshake_exc is None
        audio = pcm16(tone(440.0, 120.0))
        for start in range(0, len(audio), 48_000):  # 1 s a message, at 50x real time
            client.send_binary(audio[start : start + 48_000])
            writer.write(b"".join(client.data_to_send()))
            await writer.drain()
            await asyncio.sleep(0.02)
        client.send_text(b'{"type": "commit"}')
        writer.write(b"".join(client.data_to_send()))
        await _until_no_session(base)  # never reading another byte
        record = await _last_record(base)
        assert record["end_reason"] == "limit"
        assert record["errors"][-1]["code"] == "client_too_slow"
        assert mock_server.active_connections == 0
        assert await _server_closed(reader)
        writer.transport.abort()
