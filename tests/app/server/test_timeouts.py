"""Connection timeouts in front of uvicorn: slow heads, slow bodies, stuck handshakes.

A real uvicorn on 127.0.0.1 port 0 with the guard and short limits (a fraction of a
second), and raw-socket clients that misbehave on purpose. Every wait is capped; the
caps are many times the configured limits, so these check *what* the server answers,
not how fast (the timings are measured by ``workbench bench abuse``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect

from tests.support.servers import serve
from workbench.app.server.timeouts import ServerTimeouts, error_answer, guarded_http_protocol
from workbench.bench.abuse_clients import Answer, exchange, request_head
from workbench.errors import ConfigError

LIMITS = ServerTimeouts(
    header_timeout_s=0.6,
    body_window_s=0.6,
    min_body_bytes_per_s=1000.0,
    handshake_timeout_s=0.6,
    max_request_line_bytes=2048,
    max_header_line_bytes=1024,
    max_header_count=20,
    tick_s=0.05,
)
#: Cap on any one exchange: far above every limit above.
CAP_S = 8.0
#: Longer than every limit: a server-side delay the guard must not punish.
SERVER_DELAY_S = 1.5


async def ping(request: Request) -> PlainTextResponse:
    return PlainTextResponse("pong")


async def echo_length(request: Request) -> JSONResponse:
    body = await request.body()
    return JSONResponse({"bytes": len(body)})


async def slow_reader(request: Request) -> JSONResponse:
    await asyncio.sleep(SERVER_DELAY_S)  # e.g. connecting upstream before reading
    body = await request.body()
    return JSONResponse({"bytes": len(body)})


async def slow_answer(request: Request) -> PlainTextResponse:
    await asyncio.sleep(SERVER_DELAY_S)  # e.g. waiting for the model's first audio
    return PlainTextResponse("late but fine")


async def ws_echo(websocket: WebSocket) -> None:
    await websocket.accept()
    async for text in websocket.iter_text():
        await websocket.send_text(text)


APP = Starlette(
    routes=[
        Route("/ping", ping),
        Route("/echo", echo_length, methods=["POST"]),
        Route("/slow-reader", slow_reader, methods=["POST"]),
        Route("/slow-answer", slow_answer),
        WebSocketRoute("/ws", ws_echo),
    ]
)


@pytest.fixture
async def server() -> AsyncIterator[tuple[str, int]]:
    async with serve(APP, http=guarded_http_protocol(LIMITS)) as url:
        host, port = url.removeprefix("http://").rsplit(":", 1)
        yield host, int(port)


def code_of(answer: Answer) -> tuple[int | None, str | None]:
    return answer.status, answer.error_code


async def test_a_head_sent_one_byte_at_a_time_gets_408(server: tuple[str, int]) -> None:
    head = request_head("GET", "/ping", extra=(("X-Pad", "p" * 200),))
    answer = await exchange(*server, head, cap_s=CAP_S, head_byte_interval_s=0.05)
    assert code_of(answer) == (408, "header_timeout")


async def test_a_connection_that_sends_nothing_is_closed_with_408(server: tuple[str, int]) -> None:
    answer = await exchange(*server, b"", cap_s=CAP_S)
    assert code_of(answer) == (408, "header_timeout")


@pytest.mark.parametrize(
    ("path", "extra", "status"),
    [
        ("/ping?q=" + "a" * 3000, (), 414),
        ("/ping", (("X-Big", "b" * 2000),), 431),
        ("/ping", tuple((f"X-H{i}", "v") for i in range(40)), 431),
    ],
    ids=["long_url", "long_header_line", "too_many_headers"],
)
async def test_oversized_heads_are_refused_at_once(
    server: tuple[str, int], path: str, extra: tuple[tuple[str, str], ...], status: int
) -> None:
    answer = await exchange(*server, request_head("GET", path, extra=extra), cap_s=CAP_S)
    assert code_of(answer) == (status, "head_too_large")


async def test_a_websocket_handshake_with_a_9_kb_query_is_answered(
    server: tuple[str, int],
) -> None:
    extra = (
        ("Upgrade", "websocket"),
        ("Connection", "Upgrade"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
        ("Sec-WebSocket-Version", "13"),
    )
    head = request_head("GET", "/ws?q=" + "a" * 9000, extra=extra)
    assert code_of(await exchange(*server, head, cap_s=CAP_S)) == (414, "head_too_large")


async def test_a_trickling_body_gets_408(server: tuple[str, int]) -> None:
    body = bytes(20_000)
    head = request_head(
        "POST", "/echo", content_type="application/octet-stream", content_length=len(body)
    )
    answer = await exchange(
        *server, head, body, cap_s=CAP_S, body_chunk_bytes=100, body_chunk_interval_s=0.2
    )
    assert code_of(answer) == (408, "body_timeout")


async def test_a_body_shorter_than_its_content_length_gets_408(server: tuple[str, int]) -> None:
    body = bytes(20_000)
    head = request_head(
        "POST", "/echo", content_type="application/octet-stream", content_length=len(body)
    )
    answer = await exchange(*server, head, body, cap_s=CAP_S, send_body_bytes=5_000)
    assert code_of(answer) == (408, "body_timeout")


async def test_well_behaved_requests_are_untouched(server: tuple[str, int]) -> None:
    body = bytes(300_000)
    head = request_head(
        "POST", "/echo", content_type="application/octet-stream", content_length=len(body)
    )
    assert (await exchange(*server, head, body, cap_s=CAP_S)).status == 200
    # A body at a steady, adequate pace over several windows.
    paced = await exchange(
        *server, head, body, cap_s=CAP_S, body_chunk_bytes=40_000, body_chunk_interval_s=0.1
    )
    assert paced.status == 200


async def test_server_side_delays_are_not_the_clients_fault(server: tuple[str, int]) -> None:
    body = bytes(2_000_000)  # more than uvicorn buffers: it pauses reading meanwhile
    head = request_head(
        "POST", "/slow-reader", content_type="application/octet-stream", content_length=len(body)
    )
    assert (await exchange(*server, head, body, cap_s=CAP_S)).status == 200
    late = await exchange(*server, request_head("GET", "/slow-answer"), cap_s=CAP_S)
    assert late.status == 200


async def test_keep_alive_pipelining_chunked_and_expect_continue_still_work(
    server: tuple[str, int],
) -> None:
    host, port = server
    reader, writer = await asyncio.open_connection(host, port)
    try:
        chunked = (
            b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"5\r\nhello\r\n0\r\n\r\n"
        )
        writer.write(request_head("GET", "/ping") + chunked + request_head("GET", "/ping"))
        replies = b""
        async with asyncio.timeout(CAP_S):
            while replies.count(b"HTTP/1.1 200") < 3:
                replies += await reader.read(65536)
        assert b'{"bytes":5}' in replies
        # An idle keep-alive gap longer than the head timeout, then one more request:
        # the gap is uvicorn's keep-alive business (5 s), the new head is timed anew.
        await asyncio.sleep(2 * LIMITS.header_timeout_s)
        writer.write(request_head("GET", "/ping"))
        async with asyncio.timeout(CAP_S):
            assert b"pong" in await reader.read(65536)
    finally:
        writer.close()

    body = bytes(10_000)
    head = request_head(
        "POST",
        "/slow-reader",
        content_type="application/octet-stream",
        content_length=len(body),
        extra=(("Expect", "100-continue"),),
    )
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(head)
        async with asyncio.timeout(CAP_S):
            interim = await reader.readuntil(b"\r\n\r\n")  # the app reads after its delay
            assert interim.startswith(b"HTTP/1.1 100")
            writer.write(body)
            final = await reader.readuntil(b"\r\n\r\n")
        assert final.startswith(b"HTTP/1.1 200")
    finally:
        writer.close()


async def test_an_open_websocket_is_not_timed(server: tuple[str, int]) -> None:
    host, port = server
    async with asyncio.timeout(CAP_S), connect(f"ws://{host}:{port}/ws") as ws:
        await asyncio.sleep(3 * LIMITS.header_timeout_s)
        await ws.send("still here")
        assert await ws.recv() == "still here"


def test_error_answers_carry_the_api_error_shape() -> None:
    raw = error_answer(408, "header_timeout", "too slow")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 408 Request Timeout")
    assert b"connection: close" in head
    assert json.loads(body) == {"error": {"code": "header_timeout", "message": "too slow"}}


@pytest.mark.parametrize(
    "bad", [{"header_timeout_s": 0}, {"min_body_bytes_per_s": -1}, {"max_head_bytes": 0}]
)
def test_limits_are_validated(bad: dict[str, float]) -> None:
    with pytest.raises(ConfigError):
        ServerTimeouts(**bad)  # type: ignore[arg-type]


async def test_a_head_the_shadow_parser_rejects_is_still_answered(server: tuple[str, int]) -> None:
    # h11 (the guard's shadow parser) rejects a space in a header name; uvicorn's own
    # parser decides the answer, and the guard must not leave the client hanging.
    head = b"GET /ping HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n"
    answer = await exchange(*server, head, cap_s=CAP_S)
    assert answer.outcome == "answered" and answer.status in (200, 400)
